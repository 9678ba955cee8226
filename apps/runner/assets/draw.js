// "Draw a digit": ink on a canvas, sent as PNG to the server, which prepares it exactly as
// `stagegraph predict` does and answers the class ("0".."9"), every probability by class name and
// the 28x28 it saw.
import { postImage, showBar } from './predict-client.js';

const app = document.getElementById('app');
const pad = document.getElementById('pad');
const ctx = pad.getContext('2d');
const seen = document.getElementById('seen').getContext('2d');
const digitOut = document.getElementById('digit');
const status = document.getElementById('status');
const bars = [...document.querySelectorAll('#bars .bar')];

let hasInk = false;
let drawing = false;
let last = null;
let sent = 0; // requests sent; only the newest answer is shown
let busy = false; // a request is being made or awaited
let dirty = false; // strokes since that request's image was taken

function clearPad() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, pad.width, pad.height);
  hasInk = false;
  digitOut.textContent = '–';
  status.textContent = 'Draw a digit with the mouse or a finger.';
  for (const bar of bars) showBar(bar, undefined);
  seen.clearRect(0, 0, 28, 28);
}

function show(answer) {
  digitOut.textContent = answer.class;
  status.textContent = `${(100 * answer.top[0].probability).toFixed(1)}% sure`;
  for (const bar of bars) showBar(bar, answer.probabilities[bar.dataset.class]);
  bars.find((bar) => bar.dataset.class === answer.class)?.classList.add('best');
  const image = seen.createImageData(28, 28);
  (answer.input ?? []).forEach((v, i) => image.data.set([255 * v, 255 * v, 255 * v, 255], 4 * i));
  seen.putImageData(image, 0, 0);
}

async function predict(body) {
  const id = ++sent;
  busy = true;
  app.dataset.state = 'busy'; // tests wait for "idle": the answer shown is for the drawing shown
  try {
    const answer = await postImage(body);
    if (id !== sent) return;
    show(answer);
    app.dataset.answers = String(Number(app.dataset.answers ?? 0) + 1);
  } catch (error) {
    if (id === sent) status.textContent = `error: ${error.message}`;
  }
  if (id !== sent) return; // cleared or replaced meanwhile: the newer request owns the state
  busy = false;
  if (dirty && hasInk) predictDrawing();
  else app.dataset.state = 'idle';
}

/** As you draw: one request at a time; strokes made meanwhile go in the next one. */
function predictDrawing() {
  if (!hasInk) return;
  if (busy) return void (dirty = true);
  busy = true;
  dirty = false;
  app.dataset.state = 'busy';
  const ticket = sent;
  pad.toBlob((blob) => ticket === sent && predict(blob), 'image/png'); // unless cleared meanwhile
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
  predictDrawing();
});
for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, () => {
    if (!drawing) return;
    drawing = false;
    predictDrawing();
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
  busy = dirty = false;
  clearPad();
  app.dataset.state = 'idle';
});

document.getElementById('upload').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (!file) return;
  sent++;
  busy = dirty = false;
  clearPad();
  status.textContent = `reading ${file.name}…`;
  predict(file);
  event.target.value = '';
});

clearPad();
app.dataset.state = 'idle';
