/// Picks a metric (metre-based) CRS suited to measuring and buffering inside a lon/lat box.
public enum LocalMetricCRS {
    /// In order of preference:
    /// 1. the JGD2011 Japan Plane Rectangular CS zone (EPSG:6669–6687) whose EPSG area of use
    ///    contains the whole box, choosing the zone whose origin meridian is closest to the
    ///    box centre when several do (the zones' areas overlap at prefecture borders);
    /// 2. the UTM zone of the box centre when the box stays within that zone widened by 1°
    ///    on each side (scale error < 0.15 % at Japan's latitudes): JGD2011 / UTM 51N–55N
    ///    (EPSG:6688–6692) inside their areas of use around Japan, else WGS 84 / UTM
    ///    (EPSG:326xx north, 327xx south);
    /// 3. an azimuthal equidistant projection on GRS80 centred on the box (distances and
    ///    azimuths from the centre exact), for boxes spanning several zones.
    /// Deterministic; O(1). A box with non-finite corners gets the aeqd at 0,0.
    public static func definition(for box: BoundingBox) -> String {
        guard box.minX.isFinite, box.minY.isFinite, box.maxX.isFinite, box.maxY.isFinite else {
            return azimuthalEquidistant(lon: 0, lat: 0)
        }
        let center = box.center
        if let zone = planeRectangularZone(for: box) { return "EPSG:\(zone.epsg)" }
        if let utm = utmCode(for: box) { return "EPSG:\(utm)" }
        return azimuthalEquidistant(lon: center.lon, lat: center.lat)
    }

    /// One of the 19 zones of the Japan Plane Rectangular Coordinate System (国土交通省告示
    /// 第九号, 2002; EPSG:6669–6687 for JGD2011). `area` is the EPSG area of use (onshore).
    public struct PlaneRectangularZone: Sendable {
        public let number: Int
        public let epsg: Int
        public let originLon: Double
        public let originLat: Double
        public let area: BoundingBox
    }

    /// Zone origins from the MLIT notice; areas of use from the EPSG dataset (v10, proj.db).
    public static let planeRectangularZones: [PlaneRectangularZone] = [
        zone(1, 129.5, 33, 128.17, 26.96, 130.46, 34.74),                 // Nagasaki, W Kagoshima islands
        zone(2, 131, 33, 129.76, 30.18, 132.05, 33.99),                   // Fukuoka … Kagoshima
        zone(3, 132 + 10.0 / 60, 36, 130.81, 33.72, 133.49, 36.38),       // Yamaguchi, Shimane, Hiroshima
        zone(4, 133.5, 33, 131.95, 32.69, 134.81, 34.45),                 // Shikoku
        zone(5, 134 + 20.0 / 60, 36, 133.13, 34.13, 135.47, 35.71),       // Hyogo, Tottori, Okayama
        zone(6, 136, 36, 134.86, 33.4, 136.99, 36.33),                    // Kyoto, Osaka, Fukui, Shiga, Mie, Nara, Wakayama
        zone(7, 137 + 10.0 / 60, 36, 136.22, 34.51, 137.84, 37.58),       // Ishikawa, Toyama, Gifu, Aichi
        zone(8, 138.5, 36, 137.32, 34.54, 139.91, 38.58),                 // Niigata, Nagano, Yamanashi, Shizuoka
        zone(9, 139 + 50.0 / 60, 36, 138.4, 29.31, 141.11, 37.98),        // Tokyo, Kanto, Fukushima
        zone(10, 140 + 50.0 / 60, 40, 139.49, 37.73, 142.14, 41.58),      // Tohoku north
        zone(11, 140.25, 44, 139.34, 41.34, 141.46, 43.42),               // Hokkaido west
        zone(12, 142.25, 44, 140.89, 42.15, 143.61, 45.54),               // Hokkaido central
        zone(13, 144.25, 44, 142.61, 41.87, 145.87, 44.4),                // Hokkaido east
        zone(14, 142, 26, 141.2, 24.67, 142.33, 27.8),                    // Ogasawara
        zone(15, 127.5, 26, 126.63, 26.02, 128.4, 26.91),                 // Okinawa main
        zone(16, 124, 26, 122.83, 23.98, 125.51, 24.94),                  // Sakishima
        zone(17, 131, 26, 131.12, 24.4, 131.38, 26.01),                   // Daito islands
        zone(18, 136, 20, 136.02, 20.37, 136.16, 20.48),                  // Okinotorishima
        zone(19, 154, 26, 153.91, 24.22, 154.05, 24.35),                  // Minamitorishima
    ]

    private static func zone(_ n: Int, _ lon0: Double, _ lat0: Double,
                             _ w: Double, _ s: Double, _ e: Double, _ north: Double) -> PlaneRectangularZone {
        PlaneRectangularZone(number: n, epsg: 6668 + n, originLon: lon0, originLat: lat0,
                             area: BoundingBox(minX: w, minY: s, maxX: e, maxY: north))
    }

    /// The best plane rectangular zone whose area of use holds the whole box, if any.
    public static func planeRectangularZone(for box: BoundingBox) -> PlaneRectangularZone? {
        let centerLon = box.center.lon
        var best: PlaneRectangularZone?
        for zone in planeRectangularZones
        where zone.area.contains(Position(box.minX, box.minY))
            && zone.area.contains(Position(box.maxX, box.maxY)) {
            if let current = best,
               abs(current.originLon - centerLon) <= abs(zone.originLon - centerLon) { continue }
            best = zone
        }
        return best
    }

    /// EPSG code of a UTM zone that suits the box, if any.
    static func utmCode(for box: BoundingBox) -> Int? {
        let center = box.center
        guard box.minY >= -80, box.maxY <= 84, box.minX >= -180, box.maxX <= 180 else { return nil }
        let zone = min(60, max(1, Int(((center.lon + 180) / 6).rounded(.down)) + 1))
        let west = Double(zone - 1) * 6 - 180
        guard box.minX >= west - 1, box.maxX <= west + 7 else { return nil }
        // JGD2011 / UTM areas of use (EPSG:6688–6692): around Japan, 17–46.05 N.
        if (51...55).contains(zone), box.minY >= 17, box.maxY <= 46.05,
           box.minX >= 122.38, box.maxX <= 147.86 {
            return 6688 + zone - 51
        }
        return (center.lat >= 0 ? 32600 : 32700) + zone
    }

    static func azimuthalEquidistant(lon: Double, lat: Double) -> String {
        func fixed(_ v: Double) -> String {
            let r = (v * 1e6).rounded() / 1e6
            return r == 0 ? "0" : "\(r)"
        }
        return "+proj=aeqd +lat_0=\(fixed(lat)) +lon_0=\(fixed(lon)) +ellps=GRS80 +units=m +no_defs +type=crs"
    }
}
