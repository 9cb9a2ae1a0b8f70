/**
 * Inference of an exported expert model with onnxruntime-node. The model takes a float32 matrix [rows, features]
 * and returns class probabilities [rows, 2] (onnxmltools' XGBoost converter); column 1 is the positive class.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { modelInputInvalid, modelLoadFailed } from './errors.js';

export interface OnnxModel {
  readonly inputName: string;
  /** The declared feature width, or undefined when the model leaves it dynamic. */
  readonly inputDim: number | undefined;
  /** Positive-class probabilities of rows laid out row-major in `x` (rows × inputDim). */
  predict(x: Float32Array, rows: number): Promise<Float64Array>;
  close(): Promise<void>;
}

export interface OnnxOptions {
  readonly inputName?: string;
  readonly probabilitiesOutput?: string;
  /** Threads per session; the service runs many sessions on few cores. */
  readonly intraOpThreads?: number;
}

function declaredWidth(session: InferenceSession, inputName: string): number | undefined {
  const meta = session.inputMetadata.find((m) => m.name === inputName);
  if (!meta || !meta.isTensor) return undefined;
  const width = meta.shape[1];
  return typeof width === 'number' ? width : undefined;
}

/** Loads an ONNX file; a file that is missing or that the runtime refuses gives MODEL_LOAD_FAILED. */
export async function loadOnnxModel(path: string, options: OnnxOptions = {}): Promise<OnnxModel> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(path, {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionProviders: ['cpu'],
    });
  } catch (err) {
    throw modelLoadFailed(`The ONNX model at ${path} could not be loaded`, {
      path,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  const inputName = options.inputName ?? session.inputNames[0] ?? 'input';
  const outputName = options.probabilitiesOutput ?? 'probabilities';
  if (!session.inputNames.includes(inputName) || !session.outputNames.includes(outputName)) {
    await session.release();
    throw modelLoadFailed(`The ONNX model at ${path} lacks input ${inputName} or output ${outputName}`, {
      path,
      inputs: session.inputNames,
      outputs: session.outputNames,
    });
  }
  const inputDim = declaredWidth(session, inputName);

  return {
    inputName,
    inputDim,
    async predict(x: Float32Array, rows: number): Promise<Float64Array> {
      const width = rows > 0 ? x.length / rows : 0;
      if (!Number.isInteger(width) || width === 0 || (inputDim !== undefined && width !== inputDim)) {
        throw modelInputInvalid(`Expected rows of ${String(inputDim)} features`, { length: x.length, rows });
      }
      const result = await session.run({ [inputName]: new Tensor('float32', x, [rows, width]) }, [
        outputName,
      ]);
      const probabilities = result[outputName];
      if (!probabilities || probabilities.dims.length !== 2 || probabilities.dims[1] !== 2) {
        throw modelLoadFailed('The ONNX model did not return [rows, 2] probabilities', {
          dims: probabilities?.dims,
        });
      }
      const data = probabilities.data as Float32Array;
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = data[i * 2 + 1]!;
      return out;
    },
    close: () => session.release(),
  };
}
