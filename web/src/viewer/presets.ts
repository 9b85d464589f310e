/** Window presets (CT Hounsfield units) offered on the phone viewer; 'default' is the image's own window. */
export interface WindowPreset {
  readonly windowWidth: number;
  readonly windowCenter: number;
}

export const presets = {
  lung: { windowWidth: 1500, windowCenter: -600 },
  bone: { windowWidth: 2000, windowCenter: 300 },
  soft: { windowWidth: 400, windowCenter: 40 },
  brain: { windowWidth: 80, windowCenter: 40 },
} as const satisfies Readonly<Record<string, WindowPreset>>;

export type PresetName = keyof typeof presets | 'default';

export function isPresetName(value: string | undefined): value is PresetName {
  return value === 'default' || (value !== undefined && value in presets);
}
