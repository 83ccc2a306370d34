// Every test file outside e2e/, as one module of the test command (why: tests/_suite.ts).
import { gather } from "../_suite.ts";

await gather("units");
