// "Upload an image": the chosen file is shown and sent to the server, which prepares it exactly as
// `stagegraph predict` does (resized to the model's input) and answers its class by name, the three
// likeliest classes and every probability by name. Names are set as text, never as HTML.
import { postImage, showBar } from './predict-client.js';

const app = document.getElementById('app');
const classOut = document.getElementById('class');
const status = document.getElementById('status');
const top = document.getElementById('top');
const preview = document.getElementById('preview');
const bars = [...document.querySelectorAll('#bars .bar')];

let sent = 0; // requests sent; only the newest answer is shown

function topItem({ class: name, probability }) {
  const item = document.createElement('li');
  item.className = 'bar';
  item.dataset.class = name;
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = name;
  const track = document.createElement('span');
  track.className = 'track';
  const fill = document.createElement('span');
  fill.className = 'fill';
  fill.style.width = `${(100 * probability).toFixed(1)}%`;
  track.append(fill);
  const value = document.createElement('span');
  value.className = 'value';
  value.textContent = probability.toFixed(3);
  value.dataset.probability = String(probability);
  item.append(label, track, value);
  return item;
}

function show(answer) {
  classOut.textContent = answer.class;
  status.textContent = `${(100 * answer.top[0].probability).toFixed(1)}% sure`;
  top.replaceChildren(...answer.top.map(topItem));
  top.firstElementChild?.classList.add('best');
  for (const bar of bars) showBar(bar, answer.probabilities[bar.dataset.class]);
  bars.find((bar) => bar.dataset.class === answer.class)?.classList.add('best');
}

async function predict(file) {
  const id = ++sent;
  app.dataset.state = 'busy'; // tests wait for "idle": the answer shown is for the image shown
  try {
    const answer = await postImage(file);
    if (id !== sent) return;
    show(answer);
    app.dataset.answers = String(Number(app.dataset.answers ?? 0) + 1);
  } catch (error) {
    if (id !== sent) return;
    classOut.textContent = '–';
    status.textContent = `error: ${error.message}`;
  }
  if (id === sent) app.dataset.state = 'idle';
}

document.getElementById('upload').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (!file) return;
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  top.replaceChildren();
  for (const bar of bars) showBar(bar, undefined);
  status.textContent = `reading ${file.name}…`;
  predict(file);
  event.target.value = '';
});

app.dataset.state = 'idle';
