/** Runs the samkit CLI entry in a child process (store-cli tests need NODE_EXTRA_CA_CERTS at start-up). */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
