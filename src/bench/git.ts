/** The git revision written into every benchmark row. */
import { execFileSync } from "child_process";

export function gitRevision(cwd: string): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd, encoding: "utf8" }).trim();
    let dirty = false;
    try {
      execFileSync("git", ["diff", "--quiet", "HEAD", "--", "contracts", "src", "scripts", "circuits"], { cwd });
    } catch {
      dirty = true;
    }
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return "unknown";
  }
}
