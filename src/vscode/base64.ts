// Base64 without Node's Buffer: the web extension host (vscode.dev) has only
// btoa/atob, and the desktop host has them too (Node 16+).

/** Bytes as base64 text, in chunks so String.fromCharCode's argument list stays small. */
export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Base64 text as bytes. Throws DOMException (InvalidCharacterError) on text that is not base64. */
export function base64ToBytes(b64: string): Uint8Array {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
