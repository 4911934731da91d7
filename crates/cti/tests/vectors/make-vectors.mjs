// Makes the CTI decryption vectors with the real tools: crypto-js 4 (as the portal's page would) and
// `openssl enc` (OpenSSL 3). Run through make-vectors.sh, which installs crypto-js in a temporary folder.
// Every vector records the exact call or command that made its blob ("made_with"); openssl reads the
// plaintext on stdin, UTF-8, with no trailing newline. Salts are random, so each run gives new blobs.
import { execSync } from "node:child_process";
import assert from "node:assert/strict";
import CryptoJS from "crypto-js";

const cryptojsVersion = JSON.parse(
  (await import("node:fs")).readFileSync("node_modules/crypto-js/package.json", "utf8"),
).version;
const opensslVersion = execSync("openssl version").toString().trim();

function openssl(cmd, input) {
  return execSync(cmd, { input, shell: "/bin/sh", stdio: ["pipe", "pipe", "pipe"] }).toString();
}

// Plaintexts: portal CTI JSON with Unicode, an almost empty one, a multi-block dialer one, one whose
// length is a multiple of the block (so PKCS7 adds a whole block).
const unicodeCti = JSON.stringify({
  Guid: "7f3c2a9e-1b4d-4e8f-9a0c-2d5e6f708192",
  Campaign: "Cobranzas→Ñandú",
  Callerid: "099123456",
  ParAndValues: "nombre=José Pérez:ciudad=Montevideo:nota=☎ llamar después 🙂",
  Form: "",
  Screen: "",
  Answer: "",
});
const emptyish = "{}";
const dialerCti = JSON.stringify({
  campaign: "Ventas_Outbound<-",
  number: "099123456",
  status: "NEW",
  data: "nombre=María Ñúñez:plan=Fibra 300:deuda=1250,50:vence=2026-12-15",
  alternatives: "24871234:098765432:29001234",
  retries: 2,
  contact: "María Ñúñez",
  dialerbase: "base_diciembre",
  priority: 5,
  agentphone: "SIP/1001",
});
let blockAligned = JSON.stringify({ Guid: "a1", Campaign: "ventas", Callerid: "24871234" });
blockAligned = blockAligned.slice(0, -1) + " ".repeat((16 - (Buffer.byteLength(blockAligned) % 16)) % 16) + "}";
assert.equal(Buffer.byteLength(blockAligned) % 16, 0);
assert.ok(Buffer.byteLength(dialerCti) > 64, "the dialer CTI spans several blocks");

const passphrases = { ascii: "s3cret-portal", unicode: "contraseña-ñ☕" };
const keys = {
  aes128hex: "000102030405060708090a0b0c0d0e0f",
  aes192hex: "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
  aes256hex: "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
  ivhex: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
};
const b64 = (hex) => Buffer.from(hex, "hex").toString("base64");

const vectors = [];
const failures = [];

// 1. The passphrase format (EVP_BytesToKey, MD5, one iteration; "Salted__" + salt + ciphertext).
for (const [name, plaintext, passphrase] of [
  ["cryptojs-passphrase-unicode", unicodeCti, passphrases.ascii],
  ["cryptojs-passphrase-emptyish", emptyish, passphrases.ascii],
  ["cryptojs-passphrase-multiblock-unicode-passphrase", dialerCti, passphrases.unicode],
  ["cryptojs-passphrase-block-aligned", blockAligned, passphrases.ascii],
]) {
  const blob = CryptoJS.AES.encrypt(plaintext, passphrase).toString();
  assert.equal(CryptoJS.AES.decrypt(blob, passphrase).toString(CryptoJS.enc.Utf8), plaintext);
  vectors.push({
    name, scheme: "cryptojs_passphrase", tool: `crypto-js ${cryptojsVersion}`,
    made_with: "CryptoJS.AES.encrypt(plaintext, passphrase).toString()",
    plaintext, passphrase, blob,
  });
}
for (const [name, plaintext, passphrase, wrap] of [
  ["openssl-passphrase-unicode", unicodeCti, passphrases.ascii, false],
  ["openssl-passphrase-multiblock-wrapped-base64", dialerCti, passphrases.unicode, true],
  ["openssl-passphrase-emptyish", emptyish, passphrases.unicode, false],
]) {
  const cmd = `openssl enc -aes-256-cbc -md md5 -salt -base64${wrap ? "" : " -A"} -pass 'pass:${passphrase}'`;
  const blob = openssl(cmd, plaintext).trimEnd();
  // The other tool reads it too: the two formats are the same.
  assert.equal(CryptoJS.AES.decrypt(blob.replace(/\n/g, ""), passphrase).toString(CryptoJS.enc.Utf8), plaintext);
  vectors.push({ name, scheme: "cryptojs_passphrase", tool: opensslVersion, made_with: cmd, plaintext, passphrase, blob });
}

// 2. Raw key + IV (AES-CBC, PKCS7); keys and IVs in hex or base64, blobs in base64 or hex.
for (const [name, plaintext, keyHex, keyEnc, ivEnc, blobEnc] of [
  ["cryptojs-raw-aes128-hex-key", unicodeCti, keys.aes128hex, "hex", "hex", "base64"],
  ["cryptojs-raw-aes256-base64-key", dialerCti, keys.aes256hex, "base64", "base64", "base64"],
  ["cryptojs-raw-aes192-hex-blob", emptyish, keys.aes192hex, "hex", "hex", "hex"],
]) {
  const parse = (enc, hex) => (enc === "hex" ? CryptoJS.enc.Hex.parse(hex) : CryptoJS.enc.Base64.parse(b64(hex)));
  const key = keyEnc === "hex" ? keyHex : b64(keyHex);
  const iv = ivEnc === "hex" ? keys.ivhex : b64(keys.ivhex);
  const encrypted = CryptoJS.AES.encrypt(plaintext, parse(keyEnc, keyHex), { iv: parse(ivEnc, keys.ivhex) });
  const blob = blobEnc === "base64" ? encrypted.toString() : encrypted.ciphertext.toString(CryptoJS.enc.Hex);
  const made_with =
    `CryptoJS.AES.encrypt(plaintext, CryptoJS.enc.${keyEnc === "hex" ? "Hex" : "Base64"}.parse(key), ` +
    `{ iv: CryptoJS.enc.${ivEnc === "hex" ? "Hex" : "Base64"}.parse(iv) })` +
    (blobEnc === "base64" ? ".toString()" : ".ciphertext.toString(CryptoJS.enc.Hex)");
  vectors.push({ name, scheme: "raw_key_iv", tool: `crypto-js ${cryptojsVersion}`, made_with, plaintext, key, iv, blob });
}
for (const [name, plaintext, cipher, keyHex] of [
  ["openssl-raw-aes128", unicodeCti, "aes-128-cbc", keys.aes128hex],
  ["openssl-raw-aes256-multiblock", dialerCti, "aes-256-cbc", keys.aes256hex],
  ["openssl-raw-aes256-block-aligned", blockAligned, "aes-256-cbc", keys.aes256hex],
]) {
  const cmd = `openssl enc -${cipher} -K ${keyHex} -iv ${keys.ivhex} -base64 -A`;
  const blob = openssl(cmd, plaintext).trim();
  vectors.push({ name, scheme: "raw_key_iv", tool: opensslVersion, made_with: cmd, plaintext, key: keyHex, iv: keys.ivhex, blob });
}

// 3. Failures, each with the error code the decryptor must give.
const byName = (n) => vectors.find((v) => v.name === n);
const cut = (blob, drop) => {
  const bytes = Buffer.from(blob, "base64");
  return bytes.subarray(0, bytes.length - drop).toString("base64");
};
const fail = (name, expect, from, fields, made_with) =>
  failures.push({ name, expect, scheme: from.scheme, made_with, ...fields });
const withPass = (v, passphrase, blob = v.blob) => ({ passphrase, blob });
const withKey = (v, key, iv, blob = v.blob) => ({ key, iv, blob });

let v = byName("cryptojs-passphrase-unicode");
fail("wrong-passphrase", "cti_wrong_key", v, withPass(v, "not-the-passphrase"), `blob of ${v.name}, another passphrase`);
v = byName("openssl-passphrase-multiblock-wrapped-base64");
fail("wrong-passphrase-multiblock", "cti_wrong_key", v, withPass(v, passphrases.ascii), `blob of ${v.name}, another passphrase`);
v = byName("openssl-raw-aes256-multiblock");
fail("wrong-key", "cti_wrong_key", v, withKey(v, keys.aes256hex.replace(/^60/, "61"), v.iv), `blob of ${v.name}, first key byte changed`);
v = byName("openssl-raw-aes128");
fail("wrong-key-aes128", "cti_wrong_key", v, withKey(v, "ffeeddccbbaa99887766554433221100", v.iv), `blob of ${v.name}, another key`);
fail("wrong-iv", "cti_wrong_key", v, withKey(v, v.key, "00000000000000000000000000000000"), `blob of ${v.name}, another IV (the first block is garbage)`);

v = byName("cryptojs-passphrase-multiblock-unicode-passphrase");
fail("truncated-passphrase-blob", "cti_truncated", v, withPass(v, v.passphrase, cut(v.blob, 5)), `blob of ${v.name} without its last 5 bytes`);
fail("truncated-inside-header", "cti_truncated", v, withPass(v, v.passphrase, cut(v.blob, Buffer.from(v.blob, "base64").length - 12)), `first 12 bytes of ${v.name} ("Salted__" + half the salt)`);
fail("header-without-ciphertext", "cti_truncated", v, withPass(v, v.passphrase, cut(v.blob, Buffer.from(v.blob, "base64").length - 16)), `first 16 bytes of ${v.name} ("Salted__" + salt, no ciphertext)`);
v = byName("openssl-raw-aes256-multiblock");
fail("truncated-raw-blob", "cti_truncated", v, withKey(v, v.key, v.iv, cut(v.blob, 3)), `blob of ${v.name} without its last 3 bytes`);

// Bad padding: the right key, a plaintext whose last block is text, encrypted with -nopad.
const padless = (text) => text.slice(0, -1) + " ".repeat((16 - (Buffer.byteLength(text) % 16)) % 16) + "}";
for (const [name, plaintext, cmd] of [
  ["bad-padding-raw", padless(dialerCti), `openssl enc -aes-256-cbc -nopad -K ${keys.aes256hex} -iv ${keys.ivhex} -base64 -A`],
  ["bad-padding-raw-single-block", padless('{"a":1}'), `openssl enc -aes-128-cbc -nopad -K ${keys.aes128hex} -iv ${keys.ivhex} -base64 -A`],
  ["bad-padding-passphrase", padless(unicodeCti), `openssl enc -aes-256-cbc -md md5 -salt -nopad -base64 -A -pass 'pass:${passphrases.ascii}'`],
]) {
  assert.equal(Buffer.byteLength(plaintext) % 16, 0);
  const blob = openssl(cmd, plaintext).trim();
  const fields = cmd.includes("-K ")
    ? { key: cmd.match(/-K (\S+)/)[1], iv: keys.ivhex, blob }
    : { passphrase: passphrases.ascii, blob };
  failures.push({
    name, expect: "cti_bad_padding", scheme: cmd.includes("-K ") ? "raw_key_iv" : "cryptojs_passphrase",
    made_with: cmd, plaintext_without_padding: plaintext, ...fields,
  });
}
v = byName("openssl-raw-aes256-multiblock");
fail("cut-at-block-boundary", "cti_bad_padding", v, withKey(v, v.key, v.iv, cut(v.blob, 16)), `blob of ${v.name} without its last block (the new last block is text, not padding)`);

v = byName("cryptojs-passphrase-unicode");
fail("not-base64-passphrase", "cti_not_base64", v, withPass(v, v.passphrase, "this is not base64!"), "typed by hand");
v = byName("openssl-raw-aes128");
fail("not-base64-raw", "cti_not_base64", v, withKey(v, v.key, v.iv, "<html>nope</html>"), "typed by hand");
fail("not-salted", "cti_not_salted", byName("cryptojs-passphrase-unicode"), withPass(v, passphrases.ascii, v.blob), `blob of ${v.name} (raw key, no "Salted__" header) read as the passphrase format`);
fail("key-wrong-size", "cti_key_size", v, withKey(v, "00112233445566778899aabbccddeeff00112233", v.iv), "a 20-byte key");
fail("iv-wrong-size", "cti_key_size", v, withKey(v, v.key, "0001020304050607"), "an 8-byte IV");

// 4. The key derivation alone, as openssl prints it.
const kdf = [];
for (const [salt, passphrase] of [["0102030405060708", passphrases.ascii], ["a1b2c3d4e5f60718", passphrases.unicode]]) {
  const cmd = `openssl enc -aes-256-cbc -md md5 -S ${salt} -P -pass 'pass:${passphrase}'`;
  const out = openssl(cmd, "");
  kdf.push({
    made_with: cmd, passphrase, salt,
    key: out.match(/^key=([0-9A-F]+)$/m)[1].toLowerCase(),
    iv: out.match(/^iv\s*=([0-9A-F]+)$/m)[1].toLowerCase(),
  });
}

process.stdout.write(
  JSON.stringify(
    {
      about: "CTI decryption vectors made by make-vectors.sh (crypto-js from npm and openssl enc); do not edit by hand",
      tools: [`crypto-js ${cryptojsVersion}`, opensslVersion],
      vectors, failures, kdf,
    },
    null,
    2,
  ) + "\n",
);
