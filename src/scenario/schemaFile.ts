/**
 * The committed JSON Schema file (schema/scenario.schema.json): its text as
 * the generator writes it now, and whether the committed copy still matches.
 * Written through prettier so `npm run lint` and the generator agree.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { JSON_SCHEMA_PATH, scenarioJsonSchema } from "./schema";

/** The file's text as generated from src/scenario/schema.ts now. */
export async function scenarioJsonSchemaText(root: string): Promise<string> {
  const prettier = await import("prettier");
  const path = join(root, JSON_SCHEMA_PATH);
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(JSON.stringify(scenarioJsonSchema()), { ...options, filepath: path });
}

/** Writes the file; returns false when it already held exactly this text. */
export async function writeScenarioJsonSchema(root: string): Promise<boolean> {
  const path = join(root, JSON_SCHEMA_PATH);
  const text = await scenarioJsonSchemaText(root);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return true;
}

/** True when the committed file is what the generator writes now. */
export async function scenarioJsonSchemaIsCurrent(root: string): Promise<boolean> {
  const path = join(root, JSON_SCHEMA_PATH);
  return existsSync(path) && readFileSync(path, "utf8") === (await scenarioJsonSchemaText(root));
}
