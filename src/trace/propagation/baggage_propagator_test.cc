#include "trace/propagation/baggage_propagator.h"

#include <gtest/gtest.h>

#include "trace/propagation/carriers.h"

namespace tracewire::trace::propagation {
namespace {

TEST(BaggagePropagatorTest, ExtractsRepeatedHeadersAsOneList) {
  HttpHeaders h{{"baggage", "userId=alice"}, {"Baggage", "serverNode=DF%2028,isProduction=false"}};
  Context ctx = BaggagePropagator().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_EQ(ctx.baggage().size(), 3u);
  EXPECT_EQ(ctx.baggage().Get("serverNode"), "DF 28");
}

TEST(BaggagePropagatorTest, ExtractMergesIntoTheContextBaggage) {
  HttpHeaders h{{"baggage", "a=new,b=2"}};
  Context before = Context().WithBaggage(Baggage().Set("a", "old").Set("c", "3"));
  Baggage b = BaggagePropagator().Extract(HttpHeaderCarrier(h), before).baggage();
  EXPECT_EQ(b.ToHeader(), "a=new,c=3,b=2");
}

TEST(BaggagePropagatorTest, InjectWritesEncodedValuesWithoutASpan) {
  HttpHeaders h;
  HttpHeaderCarrier carrier(h);
  BaggagePropagator().Inject(Context().WithBaggage(Baggage().Set("k", "a b")), carrier);
  EXPECT_EQ(carrier.Get("baggage"), "k=a%20b");
}

TEST(BaggagePropagatorTest, InjectWritesNothingForEmptyBaggage) {
  HttpHeaders h;
  HttpHeaderCarrier carrier(h);
  BaggagePropagator().Inject(Context(), carrier);
  EXPECT_TRUE(h.empty());
}

}  // namespace
}  // namespace tracewire::trace::propagation
