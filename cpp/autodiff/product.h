// Matrix products in one fixed summation order, the same in every build.
//
// out(i, j) = ((0 + a(i,0) b(0,j)) + a(i,1) b(1,j)) + ... over k in increasing order, each term
// rounded as written. Eigen's GEMM splits k into blocks sized from the CPU's caches (and the
// target's register count), so its rounding would differ between machines and between the native
// and the wasm build; this order is the same everywhere. Speed comes from working on a tile of out
// at once (4 columns × 4 rows, say: its sums kept in registers, each a(·,k) and b(k,·) loaded once
// per tile), two rows per vector: lanes of a vector are separate sums, so nothing is reassociated.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "math/lanes.h"

namespace optlab::product {

using lanes::load2;
using lanes::store2;
using lanes::V2;

// Rows i .. i+2NV-1 of columns j0 .. j0+NJ-1 of out = a b: NJ × NV two-lane sums kept in
// registers while k runs, given b(k, j0+jj) twice at packed + 2 (k NJ + jj).
template <int NJ, int NV>
void tile(const Eigen::MatrixXd& a, const double* packed, Eigen::MatrixXd& out, Eigen::Index i, Eigen::Index j0) {
  const Eigen::Index n = a.rows(), depth = a.cols();
  V2 sum[NJ][NV];
  for (int jj = 0; jj < NJ; ++jj)
    for (int v = 0; v < NV; ++v) sum[jj][v] = V2{0.0, 0.0};
  const double* ak = a.data() + i;
  const double* bk = packed;
  for (Eigen::Index k = 0; k < depth; ++k, ak += n, bk += 2 * NJ) {
    V2 x[NV];
    for (int v = 0; v < NV; ++v) x[v] = load2(ak + 2 * v);
    for (int jj = 0; jj < NJ; ++jj) {
      const V2 y = load2(bk + 2 * jj);
      for (int v = 0; v < NV; ++v) sum[jj][v] = sum[jj][v] + x[v] * y;
    }
  }
  for (int jj = 0; jj < NJ; ++jj)
    for (int v = 0; v < NV; ++v) store2(out.data() + (j0 + jj) * n + i + 2 * v, sum[jj][v]);
}

// Columns j0 .. j0+NJ-1 of out: eight sums at a time (enough to keep the adder busy), then pairs
// of rows, then a last odd row alone.
template <int NJ>
void tile_columns(const Eigen::MatrixXd& a, const double* packed, Eigen::MatrixXd& out, Eigen::Index j0) {
  constexpr int kVectors = NJ >= 4 ? 2 : 4;  // two-lane vectors per column in the main blocks
  const Eigen::Index n = a.rows();
  Eigen::Index i = 0;
  for (; i + 2 * kVectors <= n; i += 2 * kVectors) tile<NJ, kVectors>(a, packed, out, i, j0);
  for (; i + 2 <= n; i += 2) tile<NJ, 1>(a, packed, out, i, j0);
  if (i < n) {
    const double* a0 = a.data();
    double s[NJ] = {};
    for (Eigen::Index k = 0; k < a.cols(); ++k)
      for (int jj = 0; jj < NJ; ++jj) s[jj] = s[jj] + a0[k * n + i] * packed[2 * (k * NJ + jj)];
    for (int jj = 0; jj < NJ; ++jj) out(i, j0 + jj) = s[jj];
  }
}

// b's columns j0 .. j0+NJ-1, row by row, each value twice (a two-lane vector ready to multiply).
template <int NJ, class Rhs>
const double* pack(const Rhs& b, Eigen::Index j0, std::vector<double>& packed) {
  double* p = packed.data();
  for (Eigen::Index k = 0; k < b.rows(); ++k)
    for (int jj = 0; jj < NJ; ++jj) p[2 * (k * NJ + jj)] = p[2 * (k * NJ + jj) + 1] = b(k, j0 + jj);
  return p;
}

// out = a b. a must have contiguous columns (a MatrixXd); b may be any expression (a transpose
// view, say). `packed` is scratch, kept by the caller so that a step allocates nothing.
template <class Rhs>
void product_into(const Eigen::MatrixXd& a, const Rhs& b, Eigen::MatrixXd& out, std::vector<double>& packed) {
  const Eigen::Index m = b.cols();
  out.resize(a.rows(), m);
  if (a.cols() == 0) {  // no terms: every sum is 0 (and a has no data to point into)
    out.setZero();
    return;
  }
  packed.resize(static_cast<std::size_t>(8 * a.cols()));
  Eigen::Index j = 0;
  for (; j + 4 <= m; j += 4) tile_columns<4>(a, pack<4>(b, j, packed), out, j);
  if (j + 2 <= m) {
    tile_columns<2>(a, pack<2>(b, j, packed), out, j);
    j += 2;
  }
  if (j < m) tile_columns<1>(a, pack<1>(b, j, packed), out, j);
}

// out = aᵀ b, each out(p, q) summed over i in increasing order exactly as product_into(aᵀ, b)
// sums it, for b with few columns (a layer's single output): product_into would need aᵀ copied,
// which costs as much as this whole product. Eight columns of a at a time, eight separate sums.
inline void transposed_product_into(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& out) {
  const Eigen::Index n = a.rows(), cols = a.cols();
  out.resize(cols, b.cols());
  for (Eigen::Index q = 0; q < b.cols(); ++q) {
    const double* bq = b.col(q).data();
    Eigen::Index p = 0;
    for (; p + 8 <= cols; p += 8) {
      double s[8] = {};
      const double* ap = a.col(p).data();
      for (Eigen::Index i = 0; i < n; ++i)
        for (int c = 0; c < 8; ++c) s[c] = s[c] + ap[c * n + i] * bq[i];
      for (int c = 0; c < 8; ++c) out(p + c, q) = s[c];
    }
    for (; p < cols; ++p) {
      double s = 0.0;
      const double* ap = a.col(p).data();
      for (Eigen::Index i = 0; i < n; ++i) s = s + ap[i] * bq[i];
      out(p, q) = s;
    }
  }
}

}  // namespace optlab::product
