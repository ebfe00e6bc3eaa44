/**
 * `npx hardhat scenario-schema [--check]`: writes schema/scenario.schema.json
 * from the format's one definition (src/scenario/schema.ts). With `--check`
 * it writes nothing and fails when the committed file has drifted.
 */
import { task } from "hardhat/config";

task("scenario-schema", "Writes the scenario format's JSON Schema (schema/scenario.schema.json) from its definition")
  .addFlag("check", "write nothing; fail when the committed file differs from what the definition generates")
  .setAction(async (args: { check?: boolean }, hre) => {
    // Lazy imports: loading a task file must stay cheap for every other hardhat command.
    const { JSON_SCHEMA_PATH } = await import("../src/scenario/schema");
    const { scenarioJsonSchemaIsCurrent, writeScenarioJsonSchema } = await import("../src/scenario/schemaFile");
    const root = hre.config.paths.root;
    if (args.check) {
      if (await scenarioJsonSchemaIsCurrent(root)) {
        console.log(`${JSON_SCHEMA_PATH} matches src/scenario/schema.ts`);
        return;
      }
      console.error(`${JSON_SCHEMA_PATH} is out of date: run \`npx hardhat scenario-schema\` and commit it`);
      process.exitCode = 1;
      return;
    }
    const changed = await writeScenarioJsonSchema(root);
    console.log(changed ? `wrote ${JSON_SCHEMA_PATH}` : `${JSON_SCHEMA_PATH} was already current`);
  });
