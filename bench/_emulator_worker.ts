// Serves the benchmark project from a Worker: its own thread and event loop,
// so the server's work does not run on the measured client's loop.
// Message { latencyMs } adds that delay to every later response, through the
// emulator's own fault injection.
import { startEmulator } from "../lib/emulator/server.ts";
import { benchFixture } from "./_fixture.ts";

const emulator = await startEmulator({ fixture: benchFixture() });
const port = self as unknown as Worker;
port.onmessage = (event: MessageEvent<{ latencyMs: number }>) => {
  emulator.injectFaults([{ delayMs: event.data.latencyMs, times: 1_000_000_000 }]);
  port.postMessage({ ready: true });
};
port.postMessage({ url: emulator.url });
