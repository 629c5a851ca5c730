// A mapping folder that cannot be used. The message names the file, the line when the YAML
// parser knows it, and the path inside the file, so a site editing its YAML sees exactly what to
// fix; the service refuses to start on one.

export class MappingError extends Error {
  override name = 'MappingError';
  readonly file: string;
  readonly path: string;
  readonly line: number | undefined;
  readonly problem: string;

  constructor(file: string, path: string, problem: string, line?: number) {
    super(`${file}${line !== undefined ? ` line ${line}` : ''}${path ? ` at ${path}` : ''}: ${problem}`);
    this.file = file;
    this.path = path;
    this.line = line;
    this.problem = problem;
  }

  /**
   * The same error with the file named under its study folder (`<study>/study.yaml`). A file
   * already named under a folder (a site file, `_site/labs.yaml`) keeps its name.
   */
  inFolder(folder: string): MappingError {
    if (this.file.includes('/')) return this;
    return new MappingError(`${folder}/${this.file}`, this.path, this.problem, this.line);
  }
}
