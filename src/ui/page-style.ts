// The page's stylesheet, kept in TypeScript so tsc ships it in dist/ with no copy step.
// Colours keep text at WCAG AA contrast (4.5:1 or more) on their backgrounds; focus is always
// visible; the layout fits a 1366×768 laptop without sideways scrolling.

export const PAGE_CSS = `
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1da; --bg: #f6f8fa; --link: #0a4fb3; --focus: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; padding: .6rem 1.25rem; background: #14213d; color: #fff; }
.top a { color: #fff; }
.brand { margin: 0; font-weight: 700; }
.top nav ul { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
.top nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.token { margin-left: auto; display: flex; gap: .4rem; align-items: center; }
.token input { width: 16rem; }
.token label { font-size: .9rem; }
.status { min-height: 1.6rem; padding: .2rem 1.25rem; font-size: .95rem; }
.status.error { background: #fde8e8; color: #7f1d1d; }
main { max-width: 1400px; margin: 0 auto; padding: .5rem 1.25rem 2rem; }
main:focus { outline: none; }
h1 { font-size: 1.45rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 .5rem; }
h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
input, select, textarea, button { font: inherit; color: var(--ink); }
input, select, textarea { border: 1px solid #6b7785; border-radius: 4px; padding: .25rem .4rem; background: #fff; }
button { border: 1px solid #1e3a8a; background: #1e40af; color: #fff; border-radius: 4px; padding: .3rem .8rem; cursor: pointer; }
button.secondary { background: #fff; color: #1e3a8a; }
button:disabled { background: #e5e7eb; color: #4b5563; border-color: #9ca3af; cursor: default; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: flex-end; padding: .7rem .9rem; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
.filters .field { display: flex; flex-direction: column; gap: .15rem; }
.filters .check { flex-direction: row; align-items: center; gap: .4rem; }
.filters label { font-size: .9rem; color: var(--muted); font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .6rem 0 .3rem; color: var(--muted); }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-size: .9rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f1f5fb; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .85rem; font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
.badge.candidate { background: #e7f5ec; color: #0f5223; }
.badge.potential-candidate { background: #fff4d6; color: #6b3f00; }
.badge.ineligible { background: #fdecec; color: #8a1c1c; }
.badge.decision { background: #eef2ff; color: #312e81; }
.muted { color: var(--muted); }
.ids { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
.pager { display: flex; gap: .6rem; align-items: center; margin: .7rem 0; }
.detail { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; gap: 1.5rem; }
@media (max-width: 1000px) { .detail { grid-template-columns: 1fr; } }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; }
.group { border: 1px solid var(--line); border-radius: 6px; margin: .8rem 0; padding: 0 .9rem .4rem; }
.group > h2, .group > summary { margin: .6rem 0; font-size: 1.05rem; font-weight: 700; }
.group.against { border-left: 6px solid #b91c1c; }
.group.data { border-left: 6px solid #b45309; }
.group.person { border-left: 6px solid #1d4ed8; }
.group.met { border-left: 6px solid #15803d; }
.criterion { border-top: 1px solid var(--line); padding: .5rem 0; }
.criterion:first-of-type { border-top: 0; }
.criterion h3 { margin: 0 0 .2rem; }
.criterion dl { display: grid; grid-template-columns: 8rem 1fr; gap: .1rem .8rem; margin: .2rem 0 0; }
.criterion dt { color: var(--muted); font-weight: 600; font-size: .9rem; }
.criterion dd { margin: 0; }
.criterion ul { margin: 0; padding-left: 1.1rem; }
.panel { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .4rem 1rem 1rem; align-self: start; }
.panel fieldset { border: 0; padding: 0; margin: .4rem 0; }
.panel legend { font-weight: 600; margin-bottom: .2rem; }
.panel .option { display: flex; gap: .4rem; align-items: center; margin: .15rem 0; }
.panel .stack { display: flex; flex-direction: column; gap: .2rem; margin: .5rem 0; }
.panel textarea { width: 100%; min-height: 5rem; }
.history { list-style: none; padding: 0; margin: 0; }
.history li { border-top: 1px solid var(--line); padding: .4rem 0; }
.funnel { max-width: 100%; height: auto; }
.funnel text { font-size: 12px; fill: #1b1f24; }
.funnel .bar { fill: #2f5fb3; }
.funnel .drop { fill: #d99a9a; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; }
@media (max-width: 1100px) { .cols { grid-template-columns: 1fr; } }
.studies { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 1.25rem; margin-top: .8rem; }
.study-result { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .8rem; min-width: 0; }
.study-result.linked { border: 2px solid #1e3a8a; }
.study-result > h2 { margin: .5rem 0; }
.study-result .counts { font-size: .9rem; margin: .4rem 0; }
.study-result .group > h3, .study-result .group > summary { margin: .6rem 0; font-size: 1rem; font-weight: 700; }
.study-result .criterion h4 { margin: 0 0 .2rem; font-size: .95rem; }
.study-result .panel { margin-top: .8rem; }
.studies.single { grid-template-columns: 1fr; }
.studies.single .study-body { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; gap: 1.5rem; }
.studies.single .study-body > .panel { align-self: start; margin-top: 0; }
@media (max-width: 1000px) { .studies.single .study-body { grid-template-columns: 1fr; } }
#several td { min-width: 12rem; }
#several td .failing, #several td .decision-cell { margin-top: .25rem; }
.filters + .filters { margin-top: .6rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
