// "Draw a digit": ink on a canvas, sent as PNG to the server, which prepares it exactly as
// `stagegraph predict` does and answers the digit, the 10 probabilities and the 28x28 it saw.
const app = document.getElementById('app');
const pad = document.getElementById('pad');
const ctx = pad.getContext('2d');
const seen = document.getElementById('seen').getContext('2d');
const digitOut = document.getElementById('digit');
const status = document.getElementById('status');
const bars = [...document.querySelectorAll('#bars .bar')];
const endpoint = `/api/predict?run=${encodeURIComponent(app.dataset.run)}&model=${encodeURIComponent(app.dataset.model)}`;

// the run picker: choosing a model reloads the page with it
document.querySelector('.picker select')?.addEventListener('change', (e) => e.target.form.submit());

let hasInk = false;
let drawing = false;
let last = null;
let sent = 0; // requests sent; only the newest answer is shown
let inFlight = false;
let dirty = false; // strokes since the request in flight was sent

function clearPad() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, pad.width, pad.height);
  hasInk = false;
  digitOut.textContent = '–';
  status.textContent = 'Draw a digit with the mouse or a finger.';
  for (const bar of bars) showBar(bar, undefined);
  seen.clearRect(0, 0, 28, 28);
}

function showBar(bar, p) {
  bar.querySelector('.fill').style.width = p === undefined ? '0' : `${(100 * p).toFixed(1)}%`;
  const value = bar.querySelector('.value');
  value.textContent = p === undefined ? '–' : p.toFixed(3);
  value.dataset.probability = p === undefined ? '' : String(p);
}

function show(answer) {
  digitOut.textContent = String(answer.digit);
  status.textContent = `${(100 * answer.probabilities[answer.digit]).toFixed(1)}% sure`;
  bars.forEach((bar, k) => {
    showBar(bar, answer.probabilities[k]);
    bar.classList.toggle('best', k === answer.digit);
  });
  const image = seen.createImageData(28, 28);
  answer.input.forEach((v, i) => {
    image.data.set([255 * v, 255 * v, 255 * v, 255], 4 * i);
  });
  seen.putImageData(image, 0, 0);
}

async function predict(body) {
  const id = ++sent;
  inFlight = true;
  dirty = false;
  try {
    const response = await fetch(endpoint, { method: 'POST', body, headers: { 'content-type': body.type || 'application/octet-stream' } });
    const answer = await response.json();
    if (id !== sent) return;
    if (!response.ok) throw new Error(answer.error ?? `${response.status} ${response.statusText}`);
    show(answer);
    app.dataset.predictions = String(id); // lets tests wait for an answer
  } catch (error) {
    if (id === sent) status.textContent = `error: ${error.message}`;
  } finally {
    inFlight = false;
    if (dirty && !drawing && hasInk) predictDrawing(); // strokes made while waiting
  }
}

function predictDrawing() {
  if (!hasInk) return;
  if (inFlight) return void (dirty = true);
  pad.toBlob((blob) => blob && predict(blob), 'image/png');
}

// Pointer events cover mouse, pen and touch alike; the canvas has touch-action: none.
function point(event) {
  const box = pad.getBoundingClientRect();
  return [((event.clientX - box.left) * pad.width) / box.width, ((event.clientY - box.top) * pad.height) / box.height];
}

pad.addEventListener('pointerdown', (event) => {
  pad.setPointerCapture(event.pointerId);
  drawing = true;
  last = point(event);
  stroke(last, last);
});
pad.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  const next = point(event);
  stroke(last, next);
  last = next;
  predictDrawing(); // as you draw: at most one request in flight, the latest strokes follow it
});
for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, () => {
    if (!drawing) return;
    drawing = false;
    if (inFlight) dirty = true;
    else predictDrawing();
  });
}

function stroke(from, to) {
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 20;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(...from);
  ctx.lineTo(...to);
  ctx.stroke();
  hasInk = true;
}

document.getElementById('clear').addEventListener('click', () => {
  sent++; // drop answers still on their way
  clearPad();
});

document.getElementById('upload').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (!file) return;
  clearPad();
  status.textContent = `reading ${file.name}…`;
  predict(file);
  event.target.value = '';
});

clearPad();
