/** The demo's HTML: plain server-rendered pages, no client script, so a reload is all a visitor needs. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function layout(title: string, body: string, location: string, notice?: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5}
code{background:#f3f3f3;padding:0 .25rem}.notice{background:#eef6ff;padding:.5rem 1rem}</style></head>
<body>
<h1>sentinel-kit session demo</h1>
${notice === undefined ? '' : `<p class="notice" id="notice">${escapeHtml(notice)}</p>`}
${body}
<hr><p>Sessions live in Redis at <code id="location">${escapeHtml(location)}</code>.</p>
</body></html>`;
}

export function loginPage(location: string, notice?: string): string {
  return layout(
    'Log in',
    `<form method="post" action="/login">
<label>Your name <input name="username" id="username" required maxlength="64" autocomplete="username"></label>
<button type="submit" id="login">Log in</button>
</form>`,
    location,
    notice,
  );
}

export interface HomeView {
  user: string;
  visits: number;
  master: string;
}

export function homePage(view: HomeView, location: string, notice?: string): string {
  return layout(
    `Hello ${view.user}`,
    `<p>Logged in as <strong id="user">${escapeHtml(view.user)}</strong>.</p>
<p>Visits in this session: <strong id="visits">${view.visits}</strong></p>
<p>Current master: <code id="master">${escapeHtml(view.master)}</code></p>
<form method="post" action="/logout"><button type="submit" id="logout">Log out</button></form>
<h2>Admin</h2>
<p>Ask the sentinels to fail over (<code>SENTINEL FAILOVER</code>), then reload: you stay logged in.</p>
<form method="post" action="/admin/failover"><button type="submit" id="failover">Fail over now</button></form>`,
    location,
    notice,
  );
}
