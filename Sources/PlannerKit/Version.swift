/// The toolkit's version: the one source for `wattbit --version` and the manifests of the
/// planners built in this package (`Manifest(version: WattBitVersion.current, …)`), so they
/// always agree. Third-party plugins carry their own versions.
public enum WattBitVersion {
    public static let current = "1.0.0"
}
