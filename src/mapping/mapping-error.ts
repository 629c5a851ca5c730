// A mapping folder that cannot be used. The message names the file and the path inside it, so
// a site editing its YAML sees exactly what to fix; the service refuses to start on one.

export class MappingError extends Error {
  override name = 'MappingError';
  readonly file: string;
  readonly path: string;

  constructor(file: string, path: string, problem: string) {
    super(`${file}${path ? ` at ${path}` : ''}: ${problem}`);
    this.file = file;
    this.path = path;
  }
}
