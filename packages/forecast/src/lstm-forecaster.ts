import { disposeModel, fitSeeded, tf } from '@stagegraph/core-tensor';
import { buildLstmForecaster } from '@stagegraph/models-lstm';
import { DataError } from '@stagegraph/pipeline';
import { MinMaxScaler, StandardScaler } from '@stagegraph/preprocess';
import type { FittedForecaster, Forecaster, SeriesSlice } from './forecaster.js';
import type { ModelSpec } from './model-specs.js';
import { needsPositiveLevels, nextLevel, step, toTargetSeries } from './targets.js';

type LstmSpec = Extract<ModelSpec, { type: 'lstm' }>;

/**
 * The lstm model spec of a backtest (model-specs.ts says what each field does), as code passes it:
 * the fields with defaults may be left out (one layer type, no dropout, one step out, no calendar).
 */
export type LstmForecasterOptions = Omit<
  LstmSpec,
  'type' | 'name' | 'cell' | 'dropout' | 'outputSteps' | 'calendar' | 'features'
> &
  Partial<Pick<LstmSpec, 'cell' | 'dropout' | 'outputSteps' | 'calendar'>> & { features?: string[] };

type Scaler = { transform(v: ArrayLike<number>): number[]; inverseTransform(v: ArrayLike<number>): number[] };
const identity: Scaler = { transform: (v) => Array.from(v), inverseTransform: (v) => Array.from(v) };
const DAY = 86400000;

/** One feature column's step-to-step change: log-ratio when the column is positive on the training period, else difference. */
const changeOf = (positive: boolean) => (from: number, to: number) => (positive ? Math.log(to / from) : to - from);

function calendarOf(date: string): number[] {
  const time = Date.parse(date);
  if (Number.isNaN(time)) return [0, 0, 0, 0];
  const day = new Date(time);
  const dayOfWeek = (2 * Math.PI * day.getUTCDay()) / 7;
  const dayOfYear = (2 * Math.PI * (time - Date.UTC(day.getUTCFullYear(), 0, 1))) / DAY / 365.25;
  return [Math.sin(dayOfWeek), Math.cos(dayOfWeek), Math.sin(dayOfYear), Math.cos(dayOfYear)];
}

/** The spec's scaler fitted on the training targets (none: the targets as they are). */
function scalerFor(kind: LstmForecasterOptions['scaler'], targets: number[]): Scaler {
  if (kind === 'minmax') return MinMaxScaler.fit(targets);
  return kind === 'standard' ? StandardScaler.fit(targets) : identity;
}

/** A training period the options cannot train on: a non-positive level for a ratio target, a feature the series lacks. */
function checkTrainingPeriod(name: string, options: LstmForecasterOptions, train: SeriesSlice): void {
  const { target } = options;
  if (needsPositiveLevels(target) && train.values.some((v) => !(v > 0)))
    throw new DataError(`${name}: a ${target} target needs positive values, the training period has one <= 0`);
  const missing = (options.features ?? []).filter((f) => !train.features?.[f]);
  if (missing.length)
    throw new DataError(
      `${name}: expected the series to carry feature ${missing.map((f) => `"${f}"`).join(', ')} (load-csv's features param), got ${Object.keys(train.features ?? {}).join(', ') || 'none'}`,
    );
}

interface FittedParts {
  /** The model's input for the window of steps [end - seqLength, end) of a series. */
  inputs: (data: SeriesSlice, end: number) => number[];
  scaler: Scaler;
  featureNames: string[];
  seqLength: number;
  dims: number;
  target: LstmForecasterOptions['target'];
}

/** A trained model as a fold's forecaster: block by block, each predicted level fed back (features held at their last value beyond the known rows). */
function fittedForecaster(
  model: tf.LayersModel,
  { inputs, scaler, featureNames, seqLength, dims, target }: FittedParts,
): FittedForecaster {
  return {
    forecast(history: SeriesSlice, horizon: number) {
      const known = {
        values: [...history.values],
        dates: [...history.dates],
        features: Object.fromEntries(featureNames.map((f) => [f, [...history.features![f]]])),
      };
      while (known.values.length - history.values.length < horizon) {
        const end = known.values.length;
        const block = tf.tidy(() =>
          Array.from((model.predict(tf.tensor3d(inputs(known, end), [1, seqLength, dims])) as tf.Tensor).dataSync()),
        );
        for (const value of scaler.inverseTransform(block)) {
          known.values.push(nextLevel(known.values.at(-1)!, value, target));
          // beyond the known rows: the next day, and features held at their last value
          const time = Date.parse(known.dates.at(-1)!);
          known.dates.push(Number.isNaN(time) ? known.dates.at(-1)! : new Date(time + DAY).toISOString().slice(0, 10));
          for (const f of featureNames) known.features[f].push(known.features[f].at(-1)!);
        }
      }
      return known.values.slice(history.values.length, history.values.length + horizon);
    },
    dispose: () => disposeModel(model),
  };
}

/**
 * The recurrent forecaster of models-lstm as a backtest forecaster: each fold turns its training
 * levels into targets, fits the scalers on them (and on each feature's changes), trains on windows
 * of `seqLength` steps (seeded, early stopping), and forecasts block by block, feeding each
 * predicted level back (features held at their last value beyond the known rows).
 */
export function lstmForecaster(name: string, options: LstmForecasterOptions): Forecaster {
  const { seqLength, target } = options;
  const featureNames = options.features ?? [];
  const k = options.outputSteps ?? 1;
  const dims = 1 + featureNames.length + (options.calendar ? 4 : 0);
  // a step's inputs read the step before it for changes: the first usable step is then 1
  const first = target === 'level' || target === 'window-normalised' ? (featureNames.length ? 1 : 0) : 1;
  return {
    name,
    kind: 'learned',
    async fit(train, context) {
      const levels = train.values;
      checkTrainingPeriod(name, options, train);
      const samples = levels.length - k - (first + seqLength) + 1;
      if (samples < 2)
        throw new DataError(
          `${name}: expected more than ${first + seqLength + k} training values for windows of ${seqLength} and ${k} steps out, got ${levels.length}`,
        );
      const targets = toTargetSeries(levels, target === 'window-normalised' ? 'percent-change' : target);
      const scaler = scalerFor(options.scaler, targets);
      const changes = featureNames.map((f) => changeOf(train.features![f].every((v) => v > 0)));
      const featureScalers = featureNames.map((f, i) => {
        const column = train.features![f];
        return StandardScaler.fit(column.slice(1).map((v, t) => changes[i](column[t], v)));
      });
      /** The model's input for the window of steps [end - seqLength, end) of `data`. */
      const inputs = (data: SeriesSlice, end: number): number[] => {
        const out: number[] = [];
        const last = data.values[end - 1];
        for (let t = end - seqLength; t < end; t++) {
          const v = data.values[t];
          const own =
            target === 'level'
              ? v
              : target === 'window-normalised'
                ? step(last, v, target)
                : step(data.values[t - 1], v, target);
          out.push(scaler.transform([own])[0]);
          featureNames.forEach((f, i) => {
            const column = data.features![f];
            out.push(featureScalers[i].transform([changes[i](column[t - 1], column[t])])[0]);
          });
          if (options.calendar) out.push(...calendarOf(data.dates[t]));
        }
        return out;
      };
      const xs = new Float32Array(samples * seqLength * dims);
      const ys = new Float32Array(samples * k);
      for (let s = 0; s < samples; s++) {
        const end = first + seqLength + s; // the window's last step is end - 1; its targets the steps to levels[end .. end + k)
        xs.set(inputs(train, end), s * seqLength * dims);
        for (let j = 0; j < k; j++)
          ys[s * k + j] = scaler.transform([step(levels[end - 1 + j], levels[end + j], target)])[0];
      }
      const model = buildLstmForecaster({
        seqLength,
        features: dims,
        units: options.units,
        cell: options.cell,
        dropout: options.dropout,
        outputs: k,
        activation: options.activation,
        learningRate: options.learningRate,
        seed: context.seed,
      });
      const x = tf.tensor3d(xs, [samples, seqLength, dims]);
      const y = tf.tensor2d(ys, [samples, k]);
      try {
        await fitSeeded(model, x, y, { ...options, seed: context.seed, signal: context.signal });
      } catch (error) {
        disposeModel(model);
        throw error;
      } finally {
        tf.dispose([x, y]);
      }
      return fittedForecaster(model, { inputs, scaler, featureNames, seqLength, dims, target });
    },
  };
}
