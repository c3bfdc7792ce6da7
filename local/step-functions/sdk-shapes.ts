/*
 * Recasing a task's parameters and its answer by the shapes of the API, as Step Functions does
 * for a camelCase JSON service: a structure's member names change case, a map's keys are data and
 * stay as they are (`itemExplorationConfig: { explorationWeight }`), timestamps come back as ISO
 * 8601 strings (facts.md, "Step Functions and EventBridge Scheduler"; not documented, modelled as
 * the worst plausible case). The shapes are the real SDK's own (@aws-sdk/client-personalize's
 * schemas, the Smithy model it is generated from), not a list written here, so the library's
 * notion of which members are maps is checked against the model, not against itself.
 *
 * A schema is a tuple: [3, namespace, name, traits, memberNames, memberSchemas] a structure,
 * [1, …, member] a list, [2, …, key, value] a map, [9, …, input, output] an operation; a number is
 * a simple type, with 64 set for a list of it and 128 for a map of it; a function is a lazy
 * reference; an array [schema, traits] is a member with traits.
 */

type Schema = number | (() => Schema) | readonly unknown[];

const STRUCTURE = 3;
const LIST = 1;
const MAP = 2;
const LIST_OF_SIMPLE = 64;
const MAP_OF_SIMPLE = 128;

/** An operation's input and output schemas. */
export function operationShapes(operation: unknown): { readonly input: Schema; readonly output: Schema } {
  const [, , , , input, output] = operation as readonly Schema[];
  return { input, output };
}

/** `value` with each structure's member names in `recase`'s case, by `schema`; throws on a member the shape lacks. */
export function recasedByShape(value: unknown, schema: Schema, recase: (key: string) => string, where = ''): unknown {
  const shape = resolved(schema);
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (typeof shape === 'number') {
    // A list or map of simple values, or a document: its keys are data.
    return (shape & (LIST_OF_SIMPLE | MAP_OF_SIMPLE)) !== 0 ? withoutUndefined(value) : value;
  }
  const [kind] = shape;
  if (kind === LIST) {
    return (value as unknown[]).map((item, index) => recasedByShape(item, shape[4] as Schema, recase, `${where}[${index}]`));
  }
  if (kind === MAP) {
    return Object.fromEntries(definedEntries(value).map(([key, item]) => [key, recasedByShape(item, shape[5] as Schema, recase, `${where}.${key}`)]));
  }
  if (kind !== STRUCTURE) {
    return value;
  }
  const names = shape[4] as readonly string[];
  const members = shape[5] as readonly Schema[];
  return Object.fromEntries(
    definedEntries(value).map(([key, item]) => {
      const path = where === '' ? key : `${where}.${key}`;
      const index = names.findIndex((name) => name.toLowerCase() === key.toLowerCase());
      if (index < 0) {
        throw new Error(`The field ${path} is not a member of ${String(shape[2])}: the API has ${names.join(', ')}.`);
      }
      return [recase(names[index]), recasedByShape(item, members[index], recase, path)];
    }),
  );
}

function resolved(schema: Schema): number | readonly unknown[] {
  let shape = schema;
  while (typeof shape === 'function') {
    shape = shape();
  }
  // A member with traits: [schema, traits], told from a shape by its first element not being a kind number.
  if (Array.isArray(shape) && typeof shape[0] !== 'number') {
    return resolved(shape[0] as Schema);
  }
  return shape as number | readonly unknown[];
}

function definedEntries(value: object): [string, unknown][] {
  return Object.entries(value).filter(([, item]) => item !== undefined);
}

function withoutUndefined(value: object): unknown {
  return Array.isArray(value) ? value : Object.fromEntries(definedEntries(value));
}
