/** Placeholder until the emulator issue lands. */
export function main(_argv: readonly string[]): Promise<number> {
  process.stdout.write("samkit-emulator: not yet\n");
  return Promise.resolve(0);
}
