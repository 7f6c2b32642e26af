// Decodes an image file the user picked into RGBA pixels for the probe (the worker resizes them to
// the model's input size). Any format the browser decodes; a file it cannot decode, or an absurdly
// large one, gets a clear error. Not here: resizing or normalising (src/model/image-input.ts).
const MAX_SIDE = 4096;

export async function decodeImageFile(file: Blob): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('this file is not an image the browser can read: choose a PNG, JPEG, WebP, GIF or BMP file');
  }
  try {
    if (bitmap.width > MAX_SIDE || bitmap.height > MAX_SIDE) {
      throw new Error(`the image is ${bitmap.width}x${bitmap.height}; at most ${MAX_SIDE}x${MAX_SIDE} is accepted: scale it down`);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot read image pixels (no 2D canvas)');
    context.drawImage(bitmap, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { rgba: data, width, height };
  } finally {
    bitmap.close();
  }
}
