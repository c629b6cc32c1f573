// Embed mode: `?embed` (or `?embed=inspector`) in the address shows only the figure and the
// playback toolbar (and the inspector if asked), sized to its frame, for slides and course pages.
// The experiment itself stays in the #exp= hash, so an embed is an ordinary share link plus a flag.

// 'plain', 'inspector' or null (not embedded). Read once: the flag lives in the query, not the state.
export function embedMode(search = location.search) {
  const params = new URLSearchParams(search);
  if (!params.has('embed')) return null;
  return params.get('embed') === 'inspector' ? 'inspector' : 'plain';
}

// Marks the root element so styles.css lays the page out as an embed; before the first frame.
export function applyEmbed(root = document.documentElement, mode = embedMode()) {
  root.classList.toggle('embed', mode !== null);
  root.classList.toggle('embed-inspector', mode === 'inspector');
  return mode;
}

// The iframe snippet for an experiment link (the page's own address with its #exp= hash).
export function embedSnippet(link, { width = 640, height = 400, inspector = false } = {}) {
  const url = new URL(link);
  url.search = inspector ? '?embed=inspector' : '?embed';
  const src = url.href.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<iframe src="${src}" width="${width}" height="${height}" style="border:0" title="OptLab experiment" loading="lazy"></iframe>`;
}
