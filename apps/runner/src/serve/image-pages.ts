import type { ImageModelInfo } from '@stagegraph/core-tensor';
import { numberedClassNames } from '@stagegraph/contracts';
import { escapeHtml } from '../render/escape-html.js';
import type { RunEntry } from '../runs/run-index.js';
import { page, runPicker, runUrl } from './pages.js';

const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/bmp';

/** The page's run, model and class names for its script (which posts to /api/predict with them). */
const appData = (run: RunEntry) => `data-run="${escapeHtml(run.id)}" data-model="${escapeHtml(run.imageModels[0])}"`;

/** One bar per class (name, probability bar, value); the script fills them from the answer. */
const bar = (name: string) =>
  `<div class="bar" data-class="${escapeHtml(name)}"><span class="label">${escapeHtml(name)}</span><span class="track"><span class="fill"></span></span><span class="value" data-probability="">–</span></div>`;

/** The chosen run and what its model takes; no `info` when the model cannot be loaded (each upload then says why). */
interface ChosenModel {
  run: RunEntry;
  info?: ImageModelInfo;
}

/** "Draw a digit": a digit model's page (images: 'mnist-digits'); drawings and uploads go through MNIST's steps. */
export function drawPage(runs: RunEntry[], chosen?: ChosenModel): string {
  if (!chosen) {
    return page(
      'Draw a digit',
      '/draw',
      `<h1>Draw a digit</h1><p class="empty">No run has a digit model yet. Train one with <code>npx stagegraph run pipelines/mnist-cnn.json</code>.</p>`,
    );
  }
  const { run, info } = chosen;
  return page(
    'Draw a digit',
    '/draw',
    `<h1>Draw a digit</h1>
${runPicker('/draw', runs, run, 'Model from run')}
<div class="draw" id="app" ${appData(run)}>
  <div class="pad">
    <canvas id="pad" width="280" height="280" aria-label="drawing area"></canvas>
    <div class="buttons"><button id="clear" type="button">Clear</button>
      <label class="upload">or upload an image <input id="upload" type="file" accept="${ACCEPT}"></label></div>
  </div>
  <div class="result">
    <p class="answer">Predicted digit <output id="digit">–</output></p>
    <p id="status" role="status">Draw a digit with the mouse or a finger.</p>
    <div id="bars">${(info?.classNames ?? numberedClassNames(10)).map(bar).join('')}</div>
    <figure><canvas id="seen" width="28" height="28"></canvas><figcaption>what the model sees: 28x28, centred like MNIST</figcaption></figure>
  </div>
</div>`,
    'draw.js',
  );
}

/**
 * "Upload an image": any image classifier's page (a run trained on a folder of images, or a digit
 * model); the answer is the class by name with the three likeliest classes.
 */
export function uploadPage(runs: RunEntry[], chosen?: ChosenModel): string {
  if (!chosen) {
    return page(
      'Upload an image',
      '/upload',
      `<h1>Upload an image</h1><p class="empty">No run has an image classifier yet. Train one on a folder of images, one subfolder per class (<code>npx stagegraph run pipelines/image-folder.json --set stages.data.params.dir=&lt;folder&gt;</code>), or on MNIST (<code>pipelines/mnist-cnn.json</code>).</p>`,
    );
  }
  const { run, info } = chosen;
  const names = info?.classNames ?? [];
  const seen = !info
    ? "prepared for the model's input"
    : info.images === 'mnist-digits'
      ? `prepared as MNIST was (28x28, centred); or <a href="/draw?run=${encodeURIComponent(run.id)}">draw a digit</a>`
      : `resized to ${info.width}x${info.height}${info.channels === 1 ? ', in grey' : ''}`;
  return page(
    'Upload an image',
    '/upload',
    `<h1>Upload an image</h1>
${runPicker('/upload', runs, run, 'Model from run')}
<div class="draw classify" id="app" ${appData(run)}>
  <div class="pad">
    <label class="upload">Choose an image <input id="upload" type="file" accept="${ACCEPT}"></label>
    <figure><img id="preview" alt="the image chosen" hidden><figcaption>what the model sees: the image ${seen}</figcaption></figure>
  </div>
  <div class="result">
    <p class="answer">Predicted class <output id="class">–</output></p>
    <p id="status" role="status">Choose an image to classify it${names.length ? ` as one of ${names.length} classes` : ''}.</p>
    <h2>Top 3</h2>
    <ol id="top"></ol>
    <details><summary>All ${names.length || ''} classes</summary><div id="bars">${names.map(bar).join('')}</div></details>
    <p class="meta"><a href="${runUrl(run.id, 'report.html')}">report of ${escapeHtml(run.id)}</a></p>
  </div>
</div>`,
    'upload.js',
  );
}
