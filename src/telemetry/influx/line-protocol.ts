/** InfluxDB line protocol (v1 /write, precision=ms) for trunkpilot's points. */
import { InputError } from '../../core/errors';
import { ALLOWED_TAGS, FLOAT_FIELDS, InfluxPoint } from './influx-schema';

const escapeKey = (s: string) => s.replace(/[,= \\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
const escapeMeasurement = (s: string) => s.replace(/[, \\]/g, (c) => `\\${c}`);
const escapeString = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export function encodePoint(p: InfluxPoint): string {
  const where = `influx point '${p.measurement}'`;
  let line = escapeMeasurement(p.measurement);
  for (const key of Object.keys(p.tags).sort()) {
    if (!ALLOWED_TAGS.has(key)) throw new InputError(where, `tag '${key}' is not allowed (only ${[...ALLOWED_TAGS].join(', ')})`);
    const value = (p.tags as Record<string, string | undefined>)[key];
    if (value === undefined || value === '') continue;
    line += `,${escapeKey(key)}=${escapeKey(value)}`;
  }
  const floats = FLOAT_FIELDS[p.measurement];
  const fields: string[] = [];
  for (const [key, value] of Object.entries(p.fields)) {
    fields.push(`${escapeKey(key)}=${encodeField(where, key, value, floats.has(key))}`);
  }
  if (!fields.length) throw new InputError(where, 'a point needs at least one field');
  if (!Number.isInteger(p.timeMs)) throw new InputError(where, `time ${p.timeMs} is not an integer number of ms`);
  return `${line} ${fields.join(',')} ${p.timeMs}`;
}

function encodeField(where: string, key: string, value: number | boolean | string, float: boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeString(value);
  if (!Number.isFinite(value)) throw new InputError(where, `field '${key}' is ${value}, not a finite number`);
  if (float) return Number.isInteger(value) ? `${value}.0` : String(value);
  if (!Number.isInteger(value)) throw new InputError(where, `field '${key}' must be an integer, got ${value}`);
  return `${value}i`;
}
