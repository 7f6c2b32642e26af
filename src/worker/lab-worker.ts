// The lab's module Web Worker: owns one LabEngine (runtime, models, runs, evaluation), reads model
// folders over fetch from the app's own origin (UrlFiles, verified against their manifest), and
// answers every request message with exactly one `result` or `error`, sending `progress` and `step`
// events tagged with the request's id in between. Float32Array buffers (checkpoint tensors) are
// transferred, not copied. Not here: request logic (lab-engine.ts) or the UI side (src/ui/lab-client.ts).
import { loadModel } from '../model/export.ts';
import { UrlFiles } from '../model/url-files.ts';
import { LabEngine } from './lab-engine.ts';
import { transferables, type LabRequest, type LabResponse } from './lab-protocol.ts';
import { labErrorInfo } from './lab-setup.ts';

const scope = self as unknown as { postMessage(message: LabResponse, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent<LabRequest>) => void) | null; location: Location };

const engine = new LabEngine({
  // Model URLs may be relative to the app (e.g. 'models/pebench-tiny/'): resolve them against the worker's location.
  loadModel: (url) => loadModel(new UrlFiles(new URL(url, scope.location.href))),
});

function post(message: LabResponse): void {
  scope.postMessage(message, message.type === 'result' ? transferables(message.result) : []);
}

scope.onmessage = (event: MessageEvent<LabRequest>) => {
  const { id, type, payload } = event.data;
  engine
    .handle(type, payload, (e) => post(e.type === 'step' ? { type: 'step', id, step: e.step } : { type: 'progress', id, progress: e.progress }))
    .then(
      (result) => post({ type: 'result', id, result }),
      (error: unknown) => post({ type: 'error', id, error: labErrorInfo(error) }),
    );
};
