/** Runs the samkit CLI from source (for tests that spawn it): `node --import tsx broker-cli-runner.ts <args>`. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
