/**
 * Finds the scenario module of each system at `src/<system>/scenario.ts`.
 * A system whose module is not there yet is reported as not implemented.
 */
import { existsSync } from "fs";
import { join } from "path";
import type { SystemModule, SystemName } from "./types";

export class SystemNotImplementedError extends Error {
  constructor(system: SystemName) {
    super(`the ${system} system is not implemented yet`);
    this.name = "SystemNotImplementedError";
  }
}

export function isImplemented(system: SystemName): boolean {
  const base = join(__dirname, "..", system, "scenario");
  return existsSync(`${base}.ts`) || existsSync(`${base}.js`);
}

export function loadSystem(system: SystemName): SystemModule {
  if (!isImplemented(system)) throw new SystemNotImplementedError(system);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, "..", system, "scenario")) as { scenarioModule?: SystemModule };
  if (!mod.scenarioModule) throw new Error(`src/${system}/scenario.ts does not export scenarioModule`);
  return mod.scenarioModule;
}
