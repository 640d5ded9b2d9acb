import { type CryptoKey, exportPKCS8, generateKeyPair } from 'jose';

export interface RsaKeyMaterial {
  publicKey: CryptoKey;
  /** PKCS#8 PEM, as Voximplant issues it (the official Java client parses it as PKCS#8). */
  privateKeyPem: string;
}

/** A fresh 2048-bit RS256 key pair, as CreateKey and the control panel's "Generate key" hand out. */
export async function generateRsaKey(): Promise<RsaKeyMaterial> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { publicKey, privateKeyPem: await exportPKCS8(privateKey) };
}
