// The e2e test files, as one module of the test command (why: tests/_suite.ts).
import { gather } from "../_suite.ts";

await gather("e2e");
