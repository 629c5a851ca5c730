// The worklist page's HTML shell. It holds no data: everything is fetched by main.js from the
// JSON and FHIR APIs with the bearer token the coordinator pastes (kept in sessionStorage), so
// the shell itself can be served without credentials.

export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Worklist · fhir-prescreen</title>
<link rel="stylesheet" href="/app/assets/app.css">
<script type="module" src="/app/assets/main.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <p class="brand">fhir-prescreen</p>
  <nav aria-label="Sections">
    <ul>
      <li><a href="#/" data-nav="worklist">Worklist</a></li>
      <li><a href="#/runs" data-nav="runs">Runs</a></li>
      <li><a href="#/rules" data-nav="rules">Rule feedback</a></li>
    </ul>
  </nav>
  <form id="token-form" class="token" autocomplete="off">
    <label for="token">Access token</label>
    <input id="token" name="token" type="password" spellcheck="false" placeholder="only when sign-in is required">
    <button type="submit">Use</button>
    <button type="button" id="token-clear">Forget</button>
  </form>
</header>
<div id="status" class="status" role="status" aria-live="polite"></div>
<main id="main" tabindex="-1">
  <noscript><p>This page needs JavaScript.</p></noscript>
  <p>Loading…</p>
</main>
</body>
</html>
`;
}
