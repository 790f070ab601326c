/** Runs the samkit CLI from source for consent/app tests: `node --import tsx consent-cli.runner.ts <args>`. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
