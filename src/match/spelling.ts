// British spellings read as American ones (optimisation → optimization, mould → mold, fibre → fiber), so a
// posting and a lab that spell the same word two ways share it, in free words as well as glossary forms.
// Applied inside stem(), alike to text and glossary. Only rules whose exceptions are known are folded.

/** Whole-word roots: a word that is the root or starts with it takes the American root (colours, moulded). */
const ROOTS: readonly [string, string][] = [
  ['colour', 'color'], ['behaviour', 'behavior'], ['flavour', 'flavor'], ['vapour', 'vapor'], ['harbour', 'harbor'],
  ['labour', 'labor'], ['favour', 'favor'], ['humour', 'humor'], ['odour', 'odor'], ['neighbour', 'neighbor'],
  ['armour', 'armor'], ['tumour', 'tumor'], ['rigour', 'rigor'], ['endeavour', 'endeavor'], ['mould', 'mold'],
  ['smoulder', 'smolder'], ['aluminium', 'aluminum'], ['sulphur', 'sulfur'], ['sulphat', 'sulfat'],
  ['sulphid', 'sulfid'], ['sulphon', 'sulfon'], ['sulphit', 'sulfit'], ['oestrogen', 'estrogen'],
  ['haemo', 'hemo'], ['haema', 'hema'], ['anaemi', 'anemi'], ['leukaemi', 'leukemi'], ['paediatric', 'pediatric'],
  ['orthopaedic', 'orthopedic'], ['oesophag', 'esophag'], ['anaesthe', 'anesthe'], ['caesium', 'cesium'],
  ['foetal', 'fetal'], ['faeces', 'feces'], ['manoeuvrab', 'maneuverab'], ['plough', 'plow'], ['ageing', 'aging'],
  ['grey', 'gray'],
];
/** ROOTS by their first three letters, so most words cost one Map look-up. */
const ROOTS_BY_HEAD = new Map<string, [string, string][]>();
for (const r of ROOTS) {
  const list = ROOTS_BY_HEAD.get(r[0].slice(0, 3)) ?? [];
  list.push(r);
  ROOTS_BY_HEAD.set(r[0].slice(0, 3), list);
}

/** Whole words only (their derived forms are other words, or take an ordinary ending stem() removes). */
const WORDS = new Map<string, string>([
  ['fibre', 'fiber'], ['fibres', 'fibers'], ['centre', 'center'], ['centres', 'centers'], ['centred', 'centered'],
  ['metre', 'meter'], ['metres', 'meters'], ['litre', 'liter'], ['litres', 'liters'], ['calibre', 'caliber'],
  ['lustre', 'luster'], ['theatre', 'theater'], ['spectre', 'specter'], ['sombre', 'somber'], ['meagre', 'meager'],
  ['tyre', 'tire'], ['tyres', 'tires'], ['defence', 'defense'], ['licence', 'license'], ['offence', 'offense'],
  ['kilometre', 'kilometer'], ['millimetre', 'millimeter'], ['centimetre', 'centimeter'], ['micrometre', 'micrometer'],
  ['nanometre', 'nanometer'], ['millilitre', 'milliliter'], ['programme', 'program'], ['programmes', 'programs'],
  ['catalogue', 'catalog'], ['catalogues', 'catalogs'], ['analogue', 'analog'], ['analogues', 'analogs'],
  ['dialogue', 'dialog'], ['dialogues', 'dialogs'], ['jeweller', 'jeweler'], ['jewellers', 'jewelers'],
  ['jewellery', 'jewelry'], ['manoeuvre', 'maneuver'], ['manoeuvres', 'maneuvers'], ['manoeuvred', 'maneuvered'],
  ['manoeuvring', 'maneuvering'],
]);

/** Words with a doubled l before -ing/-ed/-er in British spelling (modelling → modeling). */
const DOUBLED_L = new Set(['model', 'label', 'level', 'travel', 'signal', 'channel', 'fuel', 'tunnel', 'cancel', 'dial',
  'counsel', 'marshal', 'panel', 'funnel', 'total', 'pedal', 'shovel', 'bevel', 'chisel', 'enamel', 'spiral', 'stencil',
  'equal', 'initial', 'rival', 'barrel', 'gravel', 'kernel', 'marvel', 'pencil', 'tassel', 'unravel']);

/** -ise words with no -ize spelling (advertise, surprise …); also any word ending -wise, -cise or -vise. */
const ISE_KEPT = new Set(['advertise', 'expertise', 'chastise', 'treatise', 'mortise', 'merchandise', 'paradise',
  'comprise', 'surprise', 'enterprise', 'sunrise', 'uprise', 'arise', 'compromise', 'premise', 'promise', 'demise',
  'surmise', 'franchise', 'enfranchise', 'disguise', 'reprise', 'apprise', 'despise', 'incise', 'excise',
  'improvise', 'supervise', 'televise', 'devise', 'revise', 'advise', 'exercise', 'precise', 'concise', 'valise',
  'cerise', 'anise', 'noise', 'poise', 'raise', 'praise', 'cruise', 'bruise', 'porpoise', 'tortoise', 'turquoise',
  'chemise', 'mayonnaise', 'otherwise', 'likewise', 'clockwise']);

const ISE = /^([a-z]{4,})is(e|es|ed|ing|er|ers|ation|ations|ational)$/;
const YSE = /^(anal|catal|hydrol|electrol|paral|dial|photol|pyrol|autol)ys(e|es|ed|ing|er|ers)$/;
const LL = /^([a-z]+)l(ing|ed|er|ers)$/;

export function americanize(w: string): string {
  const whole = WORDS.get(w);
  if (whole) return whole;
  const roots = ROOTS_BY_HEAD.get(w.slice(0, 3));
  if (roots) for (const [uk, us] of roots) if (w.startsWith(uk)) return us + w.slice(uk.length);
  let m = w.includes('is') ? ISE.exec(w) : null;
  if (m && !/(wise|cise|vise)$/.test(m[1]! + 'ise') && !ISE_KEPT.has(m[1]! + 'ise') && !/[aeiou]$/.test(m[1]!)) {
    return m[1] + 'iz' + m[2];
  }
  if (w.includes('ys') && (m = YSE.exec(w))) return m[1] + 'yz' + m[2];
  // modelling = model + l + ing: the root keeps one l.
  if (w.includes('ll') && (m = LL.exec(w)) && DOUBLED_L.has(m[1]!)) return m[1]! + m[2];
  return w;
}
