import type { ImageModelInfo } from '@stagegraph/core-tensor';
import { isUserInputError } from '@stagegraph/pipeline';
import { pathInside } from '../runs/path-inside.js';
import { listRuns, type RunEntry } from '../runs/run-index.js';
import { chosenRun } from './chosen-run.js';
import { HttpError } from './http-reply.js';
import { drawPage, uploadPage } from './image-pages.js';
import { storedImageSteps } from './image-steps.js';
import { readUpload } from './read-upload.js';
import type { App, Request } from './routes.js';
import { MAX_UPLOAD_PIXELS, uploadFormat } from './upload-image.js';

const hasImageModel = (run: RunEntry) => run.imageModels.length > 0;
const NEEDS = 'an image model';

/** A run's model (`?model=`, else its first image model) and its folder, inside the runs folder. */
async function modelFolder(app: App, run: RunEntry, model: string | null): Promise<{ model: string; dir: string }> {
  const name = model ?? run.imageModels[0];
  if (!run.imageModels.includes(name))
    throw new HttpError(404, `model ${name}: not one of run ${run.id}'s image models (${run.imageModels.join(', ')})`);
  const dir = await pathInside(app.runsDir, [run.id, ...name.split('/')]);
  if (!dir) throw new HttpError(404, `run ${run.id}: ${name} is not a folder inside the runs folder`);
  return { model: name, dir };
}

const toUpload = (run: RunEntry) => `/upload?run=${encodeURIComponent(run.id)}`;

/**
 * The model's class names and input, or undefined when it cannot be loaded (a cut-short model.json):
 * the page still shows, with its run picker, and each upload then answers what is wrong with it.
 */
async function modelInfo(app: App, run: RunEntry): Promise<ImageModelInfo | undefined> {
  const { dir } = await modelFolder(app, run, null);
  return app.predictor.info(dir).catch((error: unknown) => {
    if (isUserInputError(error)) return undefined;
    throw error;
  });
}

/**
 * GET /draw: the newest (or chosen) digit model's drawing page. A run whose model takes other
 * images (trained on a folder of photos, say) is sent on to its upload page.
 */
export async function drawRoute(app: App, { res, url }: Request): Promise<void> {
  const ref = url.searchParams.get('run');
  const listing = await listRuns(app.runsDir);
  const { runs, chosen } = await chosenRun(app.runsDir, ref, hasImageModel, NEEDS, listing);
  const steps = await storedImageSteps(app.runsDir, runs);
  const digitRuns = runs.filter((run) => steps.get(run.id) === 'mnist-digits');
  const run = ref === null ? digitRuns[0] : chosen;
  if (!run) return app.reply.html(res, drawPage(digitRuns));
  if (steps.get(run.id) === 'resized') return void res.writeHead(302, { location: toUpload(run) }).end();
  const info = await modelInfo(app, run);
  // a model saved without its image steps is read by its input shape: one that is no 28x28 digit model goes on too
  if (info && info.images !== 'mnist-digits') return void res.writeHead(302, { location: toUpload(run) }).end();
  app.reply.html(res, drawPage(digitRuns, { run, info }));
}

/**
 * GET /upload: classify an uploaded image with the chosen run's model, else the newest run trained on
 * images other than MNIST's digits, else the newest image model of all.
 */
export async function uploadRoute(app: App, { res, url }: Request): Promise<void> {
  const ref = url.searchParams.get('run');
  const { runs, chosen } = await chosenRun(app.runsDir, ref, hasImageModel, NEEDS);
  const steps = ref === null ? await storedImageSteps(app.runsDir, runs) : undefined;
  const run = ref === null ? (runs.find((r) => steps?.get(r.id) === 'resized') ?? chosen) : chosen;
  if (!run) return app.reply.html(res, uploadPage(runs));
  app.reply.html(res, uploadPage(runs, { run, info: await modelInfo(app, run) }));
}

/**
 * POST /api/predict with an image: its class by the model's names, the three likeliest and every
 * probability by name (and, for a digit model, the 28x28 it saw), from the run `?run=` names, else
 * the newest run with an image model. Only this run is read: the draw page posts on every stroke.
 */
export async function predictImageRoute(app: App, { req, res, url }: Request): Promise<void> {
  const { chosen: run } = await chosenRun(app.runsDir, url.searchParams.get('run'), hasImageModel, NEEDS);
  if (!run)
    throw new HttpError(
      404,
      'no run has an image model yet: train one (npx stagegraph run pipelines/mnist-cnn.json, or pipelines/image-folder.json on a folder of images)',
    );
  const { model, dir } = await modelFolder(app, run, url.searchParams.get('model'));
  const image = await readUpload(req, undefined, app.uploadIdleMs);
  uploadFormat(image);
  const prediction = await app.decodeSlots.run(() => app.predictor.predict(dir, image, 'upload', MAX_UPLOAD_PIXELS));
  app.reply.json(res, 200, { run: run.id, model, ...prediction });
}
