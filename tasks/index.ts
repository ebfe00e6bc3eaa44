/**
 * Loads every task module in this folder, so a new task is one new file and
 * no shared list has to be edited.
 */
import { readdirSync } from "fs";
import { join } from "path";

for (const file of readdirSync(__dirname).sort()) {
  if (file === "index.ts" || !file.endsWith(".ts") || file.endsWith(".d.ts")) continue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(__dirname, file));
}
