/** Child process for the foreach SIGINT test: the real CLI entry (`main`) run through tsx. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
