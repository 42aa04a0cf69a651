#!/usr/bin/env node
'use strict';
/*
 * Lints Cypher statements as Neo4j 5 Cypher with Neo4j's own linter
 * (@neo4j-cypher/language-support), plus a schema check the linter lacks.
 *
 * Usage:  node lint.cjs < request.json > diagnostics.json
 *
 * Request (one JSON object on stdin):
 *   {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
 *    "parameters": {"rows": [], "id": ""},          // the parameters statements may use
 *    "mapKeys": ["org_id", ...],                     // optional, see below
 *    "statements": {"<name>": "<text>", ...}}
 *
 * Answer (one JSON object on stdout), every statement named, [] when clean:
 *   {"<name>": [{"severity": "error"|"warning", "message": "...", "line": 1, "column": 1,
 *                "source": "neo4j"|"schema"}, ...]}
 * line and column are 1-based and refer to the statement's text exactly as given.
 *
 * Exit status: 0 when it ran (diagnostics or not); 2 for a malformed request; 3 when
 * the linter itself is not working (its semantic analysis swallows its own failures,
 * so a canary statement checks that it reports anything at all).
 *
 * Why the schema check: the linter warns about unknown labels and relationship types
 * only where they cannot be created (it accepts `MERGE (a:Actr ...)`) and never checks
 * property keys. We walk the linter's own parse tree and report, as errors, every
 * label, relationship type and property key that the schema does not declare. Every
 * key position counts: `n.key`, `{key: ...}` in patterns and in map literals, SET and
 * REMOVE items. A key read from a row of a map-list parameter (`row.key` after
 * `UNWIND $rows AS row`, or after `WITH row AS r`, or `$param.key`) may also be one of
 * "mapKeys": the keys the code puts in its rows besides model properties (`org_id`).
 *
 * Statements are linted in worker threads when cores are idle (CYPHER_LINT_JOBS=n sets
 * the number). The package's ESM build does not load (a missing file), hence CommonJS.
 */

const os = require('node:os');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

// Loaded only where statements are linted: it takes a second or two to load.
let ls;
function loadLinter() {
  ls ??= require('@neo4j-cypher/language-support');
  return ls;
}

// Statements are written in Cypher 5, the only language of Neo4j 5 servers (Cypher 25
// came with Neo4j 2025.x). The linter takes the version from a `CYPHER n` prefix, else
// from the schema's defaultLanguage; setting the latter keeps the text, and so every
// position, unchanged. A prefix in a statement is reported by the schema check below.
const CYPHER_VERSION = 'CYPHER 5';

// Neo4j's built-in functions, from the function list (taken from a Neo4j server) that
// the package ships as mock data for its own tests, without APOC or other plugins: a
// call to anything else (a plugin, a typo) is then an error. No procedures are
// declared, so every CALL of a procedure is an error too: none is portable to LadybugDB.
function builtinFunctions() {
  const all = ls.testData?.mockSchema?.functions?.[CYPHER_VERSION] ?? {};
  const builtins = {};
  for (const [name, fn] of Object.entries(all)) {
    if (fn.isBuiltIn) builtins[name] = fn;
  }
  if (Object.keys(builtins).length === 0) {
    throw new LintError(3, 'the installed @neo4j-cypher/language-support has no list of built-in functions');
  }
  return builtins;
}

class LintError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function fail(code, message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(code);
}

// --- request --------------------------------------------------------------------------

function isStringList(value) {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function readRequest(text) {
  let request;
  try {
    request = JSON.parse(text);
  } catch (e) {
    fail(2, `the request on stdin is not JSON: ${e.message}`);
  }
  const problems = [];
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    fail(2, 'the request must be a JSON object with "schema", "parameters" and "statements"');
  }
  const { schema, parameters = {}, mapKeys = [], statements } = request;
  if (schema === null || typeof schema !== 'object') {
    problems.push('"schema" must be an object');
  } else {
    for (const key of ['labels', 'relationshipTypes', 'propertyKeys']) {
      if (!isStringList(schema[key])) problems.push(`"schema.${key}" must be a list of strings`);
    }
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    problems.push('"parameters" must be an object of parameter names to example values');
  }
  if (!isStringList(mapKeys)) problems.push('"mapKeys" must be a list of strings');
  if (statements === null || typeof statements !== 'object' || Array.isArray(statements)) {
    problems.push('"statements" must be an object of names to statement texts');
  } else {
    for (const [name, text] of Object.entries(statements)) {
      if (typeof text !== 'string') problems.push(`statement ${JSON.stringify(name)} is not a string`);
    }
  }
  const known = new Set(['schema', 'parameters', 'mapKeys', 'statements']);
  const unknown = Object.keys(request).filter((k) => !known.has(k));
  if (unknown.length) problems.push(`unknown request keys: ${unknown.join(', ')}`);
  if (problems.length) fail(2, `malformed request: ${problems.join('; ')}`);
  return { schema, parameters, mapKeys, statements };
}

// --- Neo4j's linter -------------------------------------------------------------------

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'warning', 4: 'warning' };

function neo4jDiagnostics(text, dbSchema) {
  return ls.lintCypherQuery(text, dbSchema).map((d) => ({
    severity: SEVERITY[d.severity] ?? 'error',
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    source: 'neo4j',
  }));
}

// --- schema check over the parse tree -------------------------------------------------

// Rule contexts only (terminal nodes carry a `symbol`), depth first.
function* walk(ctx) {
  yield ctx;
  for (const child of ctx.children ?? []) {
    if (child.symbol === undefined) yield* walk(child);
  }
}

function findParent(ctx, predicate) {
  for (let p = ctx.parentCtx; p; p = p.parentCtx) {
    if (predicate(p)) return p;
  }
  return undefined;
}

function unescape(name) {
  return name.startsWith('`') && name.endsWith('`') ? name.slice(1, -1).replace(/``/g, '`') : name;
}

// The text of a rule as written (getText() drops the whitespace between tokens).
function sourceText(ctx) {
  return ctx.start.getInputStream().getText(ctx.start.start, ctx.stop.stop);
}

function at(token, severity, message) {
  return { severity, message, line: token.line, column: token.column + 1, source: 'schema' };
}

// Where a name written after ':' stands: in a node pattern it is a label, in a
// relationship pattern a relationship type, elsewhere (`WHERE n:Actor`) either.
function labelKind(ctx) {
  const pattern = findParent(
    ctx,
    (p) => p instanceof ls.NodePatternContext || p instanceof ls.RelationshipPatternContext,
  );
  if (pattern instanceof ls.NodePatternContext) return 'label';
  if (pattern instanceof ls.RelationshipPatternContext) return 'relationship type';
  return 'label or relationship type';
}

// The expression a `.key` is read from, when it is the first property of a chain
// (`row.id`, `$param.id`, `n.name`); undefined for `a.b.c`'s later keys.
function propertyBase(propertyCtx) {
  const postfix = propertyCtx.parentCtx;
  if (postfix instanceof ls.PropertyPostfixContext) {
    const expr2 = postfix.parentCtx;
    if (expr2 instanceof ls.Expression2Context && expr2.postFix(0) === postfix) return expr2.expression1();
    return undefined;
  }
  if (postfix instanceof ls.PropertyExpressionContext) {
    return postfix.property(0) === propertyCtx ? postfix.expression1() : undefined;
  }
  return undefined;
}

function statementIsEmpty(stmt) {
  return !stmt.preparsedStatement?.() && !stmt.consoleCommand?.();
}

function schemaDiagnostics(text, schema, mapKeys) {
  const labels = new Set(schema.labels);
  const relTypes = new Set(schema.relationshipTypes);
  const propertyKeys = new Set(schema.propertyKeys);
  const rowKeys = new Set([...schema.propertyKeys, ...mapKeys]);
  const out = [];

  const statements = ls.parse(text).filter((s) => !statementIsEmpty(s));
  if (statements.length > 1) {
    out.push(at(statements[1].start, 'error', `${statements.length} statements in one file; write one statement per file`));
  }

  for (const stmt of statements) {
    const nodes = [...walk(stmt)];
    // Variables bound to the rows of a map-list parameter, `UNWIND $rows AS row`, and
    // their aliases, `WITH row AS r` (in the order they are written).
    const rowVariables = new Set();
    for (const ctx of nodes) {
      if (ctx instanceof ls.UnwindClauseContext) {
        const listText = ctx.expression()?.getText() ?? '';
        const variable = ctx.variable()?.getText();
        if (variable && /^\$[`\w]+$/.test(listText)) rowVariables.add(unescape(variable));
      } else if (ctx instanceof ls.ReturnItemContext && ctx.variable()) {
        if (rowVariables.has(unescape(ctx.expression().getText()))) {
          rowVariables.add(unescape(ctx.variable().getText()));
        }
      }
    }

    const checkLabel = (nameCtx, kind) => {
      const name = unescape(nameCtx.getText());
      if (!name) return;
      const known =
        kind === 'label' ? labels.has(name)
          : kind === 'relationship type' ? relTypes.has(name)
            : labels.has(name) || relTypes.has(name);
      if (!known) {
        const declared = kind === 'relationship type' ? schema.relationshipTypes
          : kind === 'label' ? schema.labels : [...schema.labels, ...schema.relationshipTypes];
        const what = kind.charAt(0).toUpperCase() + kind.slice(1);
        out.push(at(nameCtx.start, 'error',
          `${what} ${name} is not declared in the schema (graphsvc.model); declared: ${declared.join(', ')}`));
      }
    };

    for (const ctx of nodes) {
      // A rule the parser recovered from an error in; the linter reports the error.
      if (ctx.exception) continue;

      if (ctx instanceof ls.PreparserOptionContext) {
        out.push(at(ctx.start, 'error',
          `query option '${sourceText(ctx)}' in the statement: statements are plain Cypher 5, ` +
          'without CYPHER/EXPLAIN/PROFILE options (they must run unchanged on LadybugDB)'));
      } else if (ctx instanceof ls.LabelNameContext) {
        checkLabel(ctx, labelKind(ctx));
      } else if (ctx instanceof ls.LabelTypeContext) {
        checkLabel(ctx.symbolicNameString(), 'label');
      } else if (ctx instanceof ls.RelTypeContext) {
        checkLabel(ctx.symbolicNameString(), 'relationship type');
      } else if (ctx instanceof ls.LabelOrRelTypeContext) {
        checkLabel(ctx.symbolicNameString(), 'label or relationship type');
      } else if (ctx instanceof ls.NodeLabelsIsContext) {
        if (ctx.symbolicNameString()) checkLabel(ctx.symbolicNameString(), 'label');
      } else if (ctx instanceof ls.InsertNodeLabelExpressionContext) {
        for (const n of ctx.symbolicNameString_list()) checkLabel(n, 'label');
      } else if (ctx instanceof ls.InsertRelationshipLabelExpressionContext) {
        checkLabel(ctx.symbolicNameString(), 'relationship type');
      } else if (ctx instanceof ls.PropertyKeyNameContext) {
        const key = unescape(ctx.getText());
        if (!key) continue;
        const base = ctx.parentCtx instanceof ls.PropertyContext ? propertyBase(ctx.parentCtx) : undefined;
        const baseVariable = base?.variable?.() ? unescape(base.variable().getText()) : undefined;
        const ofRow = (baseVariable !== undefined && rowVariables.has(baseVariable)) || Boolean(base?.parameter?.());
        if (ofRow) {
          if (!rowKeys.has(key)) {
            out.push(at(ctx.start, 'error',
              `Map key ${key} (in ${sourceText(base)}.${key}) is neither a property key of the schema ` +
              'nor a key the code puts in its rows (mapKeys)'));
          }
        } else if (!propertyKeys.has(key)) {
          out.push(at(ctx.start, 'error',
            `Property key ${key} is not declared in the schema (graphsvc.model)`));
        }
      }
    }
  }
  return out;
}

// --- main -----------------------------------------------------------------------------

function byPosition(a, b) {
  return a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

function lintOne(text, dbSchema, schema, mapKeys) {
  const neo4j = neo4jDiagnostics(text, dbSchema);
  // Where the linter already reports a name (an unknown label in MATCH), ours adds nothing.
  const taken = new Set(neo4j.map((d) => `${d.line}:${d.column}`));
  const own = schemaDiagnostics(text, schema, mapKeys).filter((d) => !taken.has(`${d.line}:${d.column}`));
  const seen = new Set();
  return [...neo4j, ...own].sort(byPosition).filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

// Lints every statement of `request` in this thread.
function lintAll({ schema, parameters, mapKeys, statements }) {
  loadLinter();
  const dbSchema = {
    labels: schema.labels,
    relationshipTypes: schema.relationshipTypes,
    propertyKeys: schema.propertyKeys,
    parameters,
    functions: { [CYPHER_VERSION]: builtinFunctions() },
    procedures: { [CYPHER_VERSION]: {} },
    defaultLanguage: CYPHER_VERSION,
  };

  const canary = ls.lintCypherQuery('RETURN cypher_lint_canary', dbSchema);
  if (!canary.some((d) => d.message.includes('cypher_lint_canary'))) {
    throw new LintError(3, "Neo4j's semantic analysis reported nothing for an undefined variable; the linter is not working");
  }

  const result = {};
  for (const [name, text] of Object.entries(statements)) {
    result[name] = lintOne(text, dbSchema, schema, mapKeys);
  }
  return result;
}

// Neo4j's semantic analysis (Java compiled to JavaScript) takes 0.1-0.5 s of CPU a
// statement, so the statements are shared out to worker threads, one per idle core
// (each worker loads and warms up the linter again, which only pays off on cores that
// are free); the longest first, each to the least loaded worker. CYPHER_LINT_JOBS sets
// the number of workers.
function jobCount(statementCount) {
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const idle = Math.max(1, Math.round(cores - os.loadavg()[0]));
  const wanted = Number.parseInt(process.env.CYPHER_LINT_JOBS ?? '', 10) || Math.min(idle, 8);
  // Loading the linter costs about as much as linting a few statements.
  return Math.max(1, Math.min(wanted, Math.ceil(statementCount / 4)));
}

function share(statements, jobs) {
  const parts = Array.from({ length: jobs }, () => ({ load: 0, statements: {} }));
  const byLength = Object.entries(statements).sort((a, b) => b[1].length - a[1].length);
  for (const [name, text] of byLength) {
    const part = parts.reduce((least, p) => (p.load < least.load ? p : least));
    part.statements[name] = text;
    part.load += text.length + 200;
  }
  return parts.map((p) => p.statements);
}

function inWorker(request) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: request });
    worker.once('message', (message) => (message.error
      ? reject(new LintError(message.code, message.error))
      : resolve(message.result)));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new LintError(3, `a lint worker stopped with exit code ${code}`));
    });
  });
}

async function main(input) {
  const request = readRequest(input);
  const names = Object.keys(request.statements);
  const jobs = jobCount(names.length);
  let result;
  try {
    if (jobs === 1) {
      result = lintAll(request);
    } else {
      const parts = await Promise.all(
        share(request.statements, jobs).map((statements) => inWorker({ ...request, statements })),
      );
      result = Object.assign({}, ...parts);
    }
  } catch (e) {
    if (e instanceof LintError) fail(e.code, e.message);
    fail(3, `the linter failed: ${e.stack ?? e}`);
  }
  const ordered = {};
  for (const name of names) ordered[name] = result[name];
  process.stdout.write(JSON.stringify(ordered, null, 1) + '\n');
}

if (isMainThread) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { input += chunk; });
  process.stdin.on('end', () => main(input));
} else {
  try {
    parentPort.postMessage({ result: lintAll(workerData) });
  } catch (e) {
    const known = e instanceof LintError;
    parentPort.postMessage({ error: known ? e.message : String(e.stack ?? e), code: known ? e.code : 3 });
  }
}
