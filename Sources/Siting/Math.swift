#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func libmPow(_ a: Double, _ b: Double) -> Double { pow(a, b) }
@inline(__always) func libmLog(_ a: Double) -> Double { log(a) }
@inline(__always) func libmCos(_ a: Double) -> Double { cos(a) }
