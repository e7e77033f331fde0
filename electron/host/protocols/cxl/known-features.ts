// The CXL-defined features fwbench decodes, by UUID (kernel include/cxl/features.h,
// CXL r3.2 8.2.10.7.2 and 8.2.10.9.11).
export const CXL_FEATURE_UUID = {
  patrolScrub: '96dad7d6-fde8-482b-a733-75774e06db8a',
  ddr5Ecs: 'e5b13f22-2328-4a14-b8ba-b9691e893386',
  softPpr: '892ba475-fad8-474e-9d3e-692c917568bb',
  hardPpr: '80ea4521-786f-4127-afb1-ec7459fb0e24',
  cachelineSparing: '96c33386-91dd-44c7-9ecb-fdaf6503bac4',
  rowSparing: '450ebf67-b135-4f97-a498-c2d57f279bed',
  bankSparing: '78b79636-90ac-4b64-a4ef-faac5d18a863',
  rankSparing: '34dbaff5-0552-4281-8f76-da0b5e7a76a7',
} as const;

export type KnownFeatureKey = keyof typeof CXL_FEATURE_UUID;

export const CXL_FEATURE_TITLE: Readonly<Record<KnownFeatureKey, string>> = {
  patrolScrub: 'Device Patrol Scrub Control',
  ddr5Ecs: 'DDR5 ECS Control',
  softPpr: 'Soft Post Package Repair (sPPR)',
  hardPpr: 'Hard Post Package Repair (hPPR)',
  cachelineSparing: 'Cacheline Memory Sparing',
  rowSparing: 'Row Memory Sparing',
  bankSparing: 'Bank Memory Sparing',
  rankSparing: 'Rank Memory Sparing',
};

export function knownFeatureKey(uuid: string): KnownFeatureKey | null {
  const u = uuid.toLowerCase();
  for (const [k, v] of Object.entries(CXL_FEATURE_UUID)) if (v === u) return k as KnownFeatureKey;
  return null;
}
