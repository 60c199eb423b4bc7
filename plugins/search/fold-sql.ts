/**
 * Accent folding in SQL, as `fold` (text.ts) does for the accented letters of names: the people
 * search's folded names (`search_names`, kept by row triggers on `users`) are written with it.
 */

/** Accented letters of names (both cases: SQLite's lower() knows only ASCII) and their folded forms. */
const ACCENTED = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ';
const FOLDED = 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuy';
/**
 * Letters replaced per SQLite statement: 53 nested replace() calls overflow the parser stack of
 * the sqlite3 shell (a schema holding such a trigger could no longer be opened there).
 */
const PER_STATEMENT = 8;

/**
 * Statements folding `column` of the rows of `table` that `where` selects, in place: one
 * `translate` on PostgreSQL, a few `replace` rounds on SQLite, then lower().
 */
export function foldStatements(dialect: 'sqlite' | 'postgres', table: string, column: string, where: string): string[] {
  const update = (expr: string): string => `update ${table} set ${column} = ${expr} where ${where}`;
  if (dialect === 'postgres') return [update(`lower(translate(${column}, '${ACCENTED}', '${FOLDED}'))`)];
  const out: string[] = [];
  for (let start = 0; start < ACCENTED.length; start += PER_STATEMENT) {
    let expr = column;
    for (let i = start; i < Math.min(start + PER_STATEMENT, ACCENTED.length); i++) expr = `replace(${expr}, '${ACCENTED[i]}', '${FOLDED[i]}')`;
    out.push(update(expr));
  }
  out.push(update(`lower(${column})`));
  return out;
}
