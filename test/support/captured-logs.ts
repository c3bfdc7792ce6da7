/**
 * Captures what the handlers and the framework write (Powertools writes JSON lines to stdout and stderr) so that
 * tests can read the log lines and keep the test output quiet.
 */
export class CapturedLogs {
  private readonly chunks: string[] = [];
  private readonly spies: jest.SpyInstance[] = [];

  start(): void {
    // The provider framework logs with console.log, which jest reports apart from stdout.
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      this.spies.push(
        jest.spyOn(console, method).mockImplementation((...parts: unknown[]) => {
          this.chunks.push(`${parts.map(String).join(' ')}\n`);
        }),
      );
    }
    for (const stream of [process.stdout, process.stderr]) {
      this.spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          this.chunks.push(chunk.toString());
          return true;
        }),
      );
    }
  }

  stop(): void {
    this.spies.splice(0).forEach((spy) => spy.mockRestore());
    this.chunks.splice(0);
  }

  get text(): string {
    return this.chunks.join('');
  }

  /** The JSON log lines, parsed. */
  get lines(): Array<Record<string, unknown>> {
    return this.text
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
