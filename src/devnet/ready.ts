/**
 * How a long-running process tells whoever started it that it is serving: one JSON line on stdout,
 *
 *   {"ready":"optimistic-node","url":"http://127.0.0.1:41234"}
 *
 * printed once it listens. Everything else a process prints is log lines for people; a supervisor
 * (`npx hardhat devnet`, a test) waits for this line and takes the endpoint from it, so ports can be
 * free ones picked at start.
 */
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ReadyLine {
  readonly ready: string;
  readonly url?: string;
  readonly [key: string]: unknown;
}

export function announceReady(line: ReadyLine): void {
  process.stdout.write(JSON.stringify(line) + "\n");
}

/** Resolves with the child's ready line; rejects if it exits first or stays silent past `timeoutMs`. */
export function waitReady(child: ChildProcess, name: string, timeoutMs = 120_000): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error(`${name}: started without a stdout pipe`));
    const lines = createInterface({ input: child.stdout });
    const tail: string[] = [];
    const timer = setTimeout(
      () => finish(new Error(`${name}: not ready after ${timeoutMs} ms; last output:\n${tail.join("\n")}`)),
      timeoutMs,
    );
    const onExit = (code: number | null, signal: string | null) =>
      finish(
        new Error(
          `${name}: exited (${signal ?? `code ${code}`}) before it was ready; last output:\n${tail.join("\n")}`,
        ),
      );
    function finish(outcome: Error | ReadyLine) {
      clearTimeout(timer);
      child.off("exit", onExit);
      lines.off("line", onLine);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    }
    function onLine(line: string) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (!line.startsWith("{")) return;
      try {
        const parsed = JSON.parse(line) as ReadyLine;
        if (typeof parsed.ready === "string") finish(parsed);
      } catch {
        // a log line that happens to start with "{"
      }
    }
    lines.on("line", onLine);
    child.once("exit", onExit);
  });
}
