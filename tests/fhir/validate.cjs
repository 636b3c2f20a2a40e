// validate.cjs FILE... - validates every resource of every Bundle (and
// the Bundles themselves) against FHIR R4 with the `fhir` package, an
// outside validator; prints each invalid resource and exits 1 if any.
const { Fhir } = require('fhir');
const fs = require('fs');

const fhir = new Fhir();
let bad = 0, n = 0;
for (const f of process.argv.slice(2)) {
  const b = JSON.parse(fs.readFileSync(f, 'utf8'));
  const all = [b, ...(b.entry || []).map(e => e.resource)];
  for (const r of all) {
    n++;
    const res = fhir.validate(r, { errorOnUnexpected: true });
    const errs = res.messages.filter(m => m.severity === 'error');
    if (!res.valid || errs.length) {
      bad++;
      console.log(`${f}: ${r.resourceType}/${r.id}: ${JSON.stringify(errs.slice(0, 5))}`);
    }
  }
}
console.log(`${n} resources validated, ${bad} invalid`);
process.exit(bad || n === 0 ? 1 : 0);
