/**
 * Accent folding in SQL, as `foldAccents` (core/content/words.ts) does for the accented letters
 * of French and English names and words: written once by triggers (`foldStatements`: the search
 * plugin's folded names, `search_names`), or read folded in a query (`foldedSql`: profile
 * values compared with a searched word).
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
 * An SQL expression giving `expr` lower-cased without accents: `translate` on PostgreSQL,
 * nested `replace` on SQLite (fine in a query; a trigger kept in the schema uses
 * `foldStatements`). Compare it with a folded word: `like '%' || word || '%'` via `likeContains`.
 */
export function foldedSql(dialect: 'sqlite' | 'postgres', expr: string): string {
  if (dialect === 'postgres') return `lower(translate(${expr}, '${ACCENTED}', '${FOLDED}'))`;
  let out = expr;
  for (let i = 0; i < ACCENTED.length; i++) out = `replace(${out}, '${ACCENTED[i]}', '${FOLDED[i]}')`;
  return `lower(${out})`;
}

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
