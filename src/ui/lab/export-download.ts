// Saving exports from the page: a text file or blob through a temporary object URL and an <a download>,
// and an SVG string rasterised to PNG (drawn through an <img> on a canvas at 2x, so a projector or a
// paper gets sharp pixels). DOM only. Not here: what the files hold (export-files.ts).
import type { ExportedFile } from './export-files.ts';

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const downloadFile = (file: ExportedFile): void => downloadBlob(new Blob([file.text], { type: file.mime }), file.name);

/** The SVG document `svg` as a PNG at `scale` times its own width and height. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser gave no 2D canvas to draw the PNG on');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the canvas could not be encoded as PNG');
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}
