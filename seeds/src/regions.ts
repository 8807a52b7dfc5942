import districtsFile from '../data/districts.json' with { type: 'json' };

export interface RegionSeed {
  code: string;
  name: string;
  level: 'city' | 'district';
  cityCode: string;
  timeZone: string;
  lat: number;
  lng: number;
  approximate: boolean;
}

/** Functional zones have no adcode; these stable codes stand in for one. */
const ZONE_CODES: Record<string, string> = {
  郑东新区: '410100-zhengdong',
  经开区: '410100-jingkai',
  高新区: '410100-gaoxin',
  航空港区: '410100-hangkonggang',
};

/** The two cities and their districts from the shared data file; a city's point is its first district's. */
export function regionSeeds(): RegionSeed[] {
  const out: RegionSeed[] = [];
  for (const city of districtsFile.cities) {
    const seat = city.districts[0]!;
    out.push({
      code: city.adcode,
      name: city.city,
      level: 'city',
      cityCode: city.adcode,
      timeZone: city.tz,
      lat: seat.lat,
      lng: seat.lng,
      approximate: true,
    });
    for (const d of city.districts) {
      const code = d.adcode ?? ZONE_CODES[d.name];
      if (!code) throw new Error(`no stable code for district ${d.name}; add one to ZONE_CODES`);
      out.push({
        code,
        name: d.name,
        level: 'district',
        cityCode: city.adcode,
        timeZone: city.tz,
        lat: d.lat,
        lng: d.lng,
        approximate: 'estimate' in d && d.estimate === true,
      });
    }
  }
  return out;
}
