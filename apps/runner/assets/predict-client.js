// What the draw and upload pages share: the predict API call of their run and model, and a
// probability bar.
const app = document.getElementById('app');
const endpoint = `/api/predict?run=${encodeURIComponent(app.dataset.run)}&model=${encodeURIComponent(app.dataset.model)}`;

// the run picker: choosing a model reloads the page with it
document.querySelector('.picker select')?.addEventListener('change', (e) => e.target.form.submit());

/** POSTs an image (a File or Blob) to the page's model: the answer, or an Error with the server's one line. */
export async function postImage(body) {
  const response = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: { 'content-type': body.type || 'application/octet-stream' },
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error ?? `${response.status} ${response.statusText}`);
  return answer;
}

/** One bar of the probabilities chart: its fill and value, or empty for `undefined`. */
export function showBar(bar, p) {
  bar.querySelector('.fill').style.width = p === undefined ? '0' : `${(100 * p).toFixed(1)}%`;
  const value = bar.querySelector('.value');
  value.textContent = p === undefined ? '–' : p.toFixed(3);
  value.dataset.probability = p === undefined ? '' : String(p);
  bar.classList.remove('best');
}
