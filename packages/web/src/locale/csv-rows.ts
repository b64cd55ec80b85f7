/**
 * Splits text into CSV rows the way Python's `csv.reader` does in its default "excel"
 * dialect, which is what Tornado's translation files are written for.
 *
 * A small state machine over the characters: a field that starts with `"` is quoted and may
 * hold commas, newlines and doubled quotes (`""` for `"`); text after its closing quote is
 * appended as it is; a quote inside an unquoted field is an ordinary character; spaces are
 * kept (no `skipinitialspace`). Line ends are first folded to `\n`, as Python's text mode
 * does. The reader is lenient, as Python's is when not `strict`: a quoted field left open at
 * the end of the text simply ends there. A blank line is an empty row.
 */

const State = {
  START_RECORD: 0,
  START_FIELD: 1,
  IN_FIELD: 2,
  IN_QUOTED_FIELD: 3,
  QUOTE_IN_QUOTED_FIELD: 4,
} as const;
type State = (typeof State)[keyof typeof State];

/**
 * The rows of `text`, each a list of fields (an empty list for a blank line).
 *
 * @see Tornado `csv.reader` as used by `tornado.locale.load_translations`
 */
export function parseCsvRows(text: string): string[][] {
  const input = text.replace(/\r\n?/g, '\n');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let state: State = State.START_RECORD;

  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRecord = (): void => {
    rows.push(row);
    row = [];
    state = State.START_RECORD;
  };

  const startField = (char: string): void => {
    if (char === '"') {
      state = State.IN_QUOTED_FIELD;
    } else if (char === ',') {
      endField();
    } else if (char === '\n') {
      endField();
      endRecord();
    } else {
      field += char;
      state = State.IN_FIELD;
    }
  };

  for (const char of input) {
    switch (state) {
      case State.START_RECORD:
        if (char === '\n') {
          endRecord();
          break;
        }
        state = State.START_FIELD;
        startField(char);
        break;
      case State.START_FIELD:
        startField(char);
        break;
      case State.IN_FIELD:
        if (char === ',') {
          endField();
          state = State.START_FIELD;
        } else if (char === '\n') {
          endField();
          endRecord();
        } else {
          field += char;
        }
        break;
      case State.IN_QUOTED_FIELD:
        if (char === '"') state = State.QUOTE_IN_QUOTED_FIELD;
        else field += char;
        break;
      case State.QUOTE_IN_QUOTED_FIELD:
        if (char === '"') {
          field += '"';
          state = State.IN_QUOTED_FIELD;
        } else if (char === ',') {
          endField();
          state = State.START_FIELD;
        } else if (char === '\n') {
          endField();
          endRecord();
        } else {
          field += char;
          state = State.IN_FIELD;
        }
        break;
    }
  }
  if (state !== State.START_RECORD) {
    endField();
    endRecord();
  }
  return rows;
}
