/** `npm run demo`: the whole Secure Application Model against the embedded emulator. */
process.stdout.write("samkit demo: not yet — lands with the fan-out/status/demo issue.\n");
