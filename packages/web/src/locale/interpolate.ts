/**
 * Python's `%` operator with a mapping, for the `%(name)s` placeholders that Tornado's
 * translation strings use.
 */

// %(key) then Python's conversion flags, width, precision and type; `%%` is a literal percent.
const PLACEHOLDER = /%%|%\(([^)]*)\)([-+ #0]*)(\d+)?(?:\.(\d+))?([sdirf])/g;

function convert(value: unknown, type: string, precision: number | undefined): string {
  switch (type) {
    case 'd':
    case 'i':
      // Python's %d truncates a float towards zero.
      return String(Math.trunc(Number(value)));
    case 'f':
      return Number(value).toFixed(precision ?? 6);
    case 'r':
      return typeof value === 'string' ? `'${value}'` : String(value);
    default: {
      const text = String(value);
      return precision === undefined ? text : text.slice(0, precision);
    }
  }
}

function pad(text: string, flags: string, width: number | undefined, numeric: boolean): string {
  let body = text;
  if (numeric && flags.includes('+') && !body.startsWith('-')) body = `+${body}`;
  else if (numeric && flags.includes(' ') && !body.startsWith('-')) body = ` ${body}`;
  if (width === undefined || body.length >= width) return body;
  if (flags.includes('-')) return body.padEnd(width);
  if (numeric && flags.includes('0')) {
    const sign = /^[-+ ]/.test(body) ? body[0]! : '';
    return sign + body.slice(sign.length).padStart(width - sign.length, '0');
  }
  return body.padStart(width);
}

/**
 * Fills the `%(name)s`, `%(name)d`, `%(name)f` (with Python's flags, width and precision)
 * placeholders of `template` from `values`, and turns `%%` into `%`: what Python's
 * `template % values` does, so translation files written for Tornado work unchanged.
 *
 * A placeholder whose name is not in `values`, and any other `%` sequence, is left as it is
 * (Python would raise), so a faulty translation shows up in the page instead of failing it.
 *
 * ```ts
 * interpolate(locale.translate('%(name)s liked this'), { name: 'Ana' });
 * ```
 *
 * @see Tornado `str % dict` as used throughout `tornado.locale`
 */
export function interpolate(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(
    PLACEHOLDER,
    (token, key: string | undefined, flags = '', width?: string, precision?: string, type = '') => {
      if (token === '%%') return '%';
      if (key === undefined || !Object.hasOwn(values, key)) return token;
      const digits = precision === undefined ? undefined : Number(precision);
      const numeric = type !== 's' && type !== 'r';
      const text = convert(values[key], type, digits);
      return pad(text, flags, width === undefined ? undefined : Number(width), numeric);
    },
  );
}
