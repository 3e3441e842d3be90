// Reads the binary message playground.conv_view_data.pack writes:
// b"CVW1" | uint32 header length | JSON header | sections (4-byte aligned).

function readMessage(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new Error("the view expected bytes");
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== "CVW1") throw new Error("the view received a message it cannot read");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  const bodyStart = 8 + headerLength;
  const sections = {};
  for (const [name, [offset, length]] of Object.entries(header.sections || {})) {
    // a copy: the message buffer is shared and its offsets need not be 4-byte aligned
    sections[name] = bytes.slice(bodyStart + offset, bodyStart + offset + length);
  }
  return {header, sections};
}

function asFloat32(section) {
  return new Float32Array(section.buffer, section.byteOffset, section.byteLength / 4);
}
