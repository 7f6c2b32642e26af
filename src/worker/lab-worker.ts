// The lab's module Web Worker: owns one LabEngine (runtime, models, runs, evaluation), reads model
// folders over fetch from the app's own origin (UrlFiles, verified against their manifest), and
// answers every request message through serveLabRequest: exactly one `result` or `error` each, with
// its events (progress, step, metrics, notice) tagged with the request's id in between, buffers
// transferred. Named for a backend (labWorkerName), it starts that backend before any request.
// Not here: request logic (lab-engine.ts) or the UI side (src/ui/lab-client.ts).
import { loadModel } from '../model/export.ts';
import { PrefilledFiles } from '../model/files.ts';
import { UrlFiles } from '../model/url-files.ts';
import { LabEngine } from './lab-engine.ts';
import { backendOfWorkerName, type LabRequest, type LabResponse } from './lab-protocol.ts';
import { serveLabRequest } from './lab-serve.ts';

const scope = self as unknown as {
  postMessage(message: LabResponse, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<LabRequest>) => void) | null;
  location: Location;
  name: string;
};

const engine = new LabEngine({
  // Model URLs may be relative to the app (e.g. 'models/pebench-tiny/'): resolve them against the
  // worker's location. Files the page downloaded ahead are used first (and verified like the rest).
  loadModel: (url, ahead) => loadModel(new PrefilledFiles(ahead ?? {}, new UrlFiles(new URL(url, scope.location.href)))),
});
// The page names the worker after the backend it will ask for (labWorkerName): start it now.
const named = backendOfWorkerName(scope.name);
if (named) engine.startBackend(named);

scope.onmessage = (event) => void serveLabRequest(engine, event.data, (message, transfer) => scope.postMessage(message, transfer));
