// A mapping file's object read by a name: its own entry or nothing. YAML maps come with
// Object.prototype, and a name written in another file (`system: constructor`) must not find
// its members. Only start-up code reads them so; what input asks goes through Maps.

export function ownValue<V>(record: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
